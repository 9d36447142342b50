// Shared test helpers: an independent model of what the decoder returns for a typed message
// (the "canonical form"), address text conversions written without the library's own code,
// error-shape assertions, and a concurrency-limited `ovs-ofctl ofp-print` runner.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import {
  FIELD_SPECS,
  OFPP,
  OFP_NO_BUFFER,
  OpenFlowError,
  type Action,
  type CtAction,
  type FieldMatch,
  type FieldValue,
  type FieldSpec,
  type FlowMod,
  type FlowStats,
  type Instruction,
  type LearnAction,
  type Match,
  type MatchEntry,
  type NatSpec,
  type OpenFlowErrorCode,
  type OpenFlowMessage,
  type SetFieldAction,
} from '../src/index.js';
import { MATCH_ORDER } from '../src/fields/registry.js';

// --- Errors ------------------------------------------------------------------------------------

export const ERROR_CODES: readonly OpenFlowErrorCode[] = [
  'OF_TRUNCATED',
  'OF_BAD_LENGTH',
  'OF_UNSUPPORTED',
  'OF_BAD_VALUE',
  'OF_INVALID_ARGUMENT',
  'OF_PARSE',
  'OF_SWITCH_ERROR',
  'OF_DISCONNECTED',
  'OF_TIMEOUT',
  'OF_PROTOCOL',
];

/** Codes a decoder may legitimately report for hostile bytes. */
export const DECODE_CODES: readonly OpenFlowErrorCode[] = [
  'OF_TRUNCATED',
  'OF_BAD_LENGTH',
  'OF_UNSUPPORTED',
  'OF_BAD_VALUE',
  'OF_PROTOCOL',
];

/**
 * Runs `fn`; returns the OpenFlowError it threw (or undefined). Anything else fails the test, and
 * so does an OpenFlowError that decodeMessage's safety net produced by wrapping a foreign
 * exception ("malformed message: …"): that is a codec bug hidden, not a decoding verdict.
 */
export function onlyOpenFlowError(
  fn: () => unknown,
  allowed: readonly OpenFlowErrorCode[],
  label: () => string,
): OpenFlowError | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (!(error instanceof OpenFlowError)) {
      assert.fail(`${label()}: threw ${describeError(error)} instead of an OpenFlowError`);
    }
    assert.ok(ERROR_CODES.includes(error.code), `${label()}: undocumented code ${error.code}`);
    assert.ok(allowed.includes(error.code), `${label()}: unexpected code ${error.code}: ${error.message}`);
    assert.ok(
      !error.message.startsWith('malformed message:'),
      `${label()}: a non-OpenFlowError escaped the codec and was wrapped: ${error.message}`,
    );
    return error;
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** JSON with bigints and Buffers made readable, for assertion messages. */
export function show(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (v !== null && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer') {
      return `<${Buffer.from((v as { data: number[] }).data).toString('hex')}>`;
    }
    return v;
  });
}

// --- Addresses (independent of src/fields/values.ts) -------------------------------------------

export function macToBig(mac: string): bigint {
  const parts = mac.split(':');
  assert.equal(parts.length, 6, `MAC ${mac}`);
  return parts.reduce((n, p) => (n << 8n) | BigInt(Number.parseInt(p, 16)), 0n);
}

export function bigToMac(n: bigint): string {
  const out: string[] = [];
  for (let i = 5; i >= 0; i--)
    out.push(
      Number((n >> BigInt(i * 8)) & 0xffn)
        .toString(16)
        .padStart(2, '0'),
    );
  return out.join(':');
}

export function ipv4ToBig(ip: string): bigint {
  const parts = ip.split('.').map(Number);
  assert.equal(parts.length, 4, `IPv4 ${ip}`);
  return parts.reduce((n, p) => (n << 8n) | BigInt(p), 0n);
}

export function bigToIpv4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String(Number((n >> s) & 0xffn))).join('.');
}

export function ipv6ToBig(ip: string): bigint {
  let text = ip;
  const dot = text.lastIndexOf(':');
  if (text.indexOf('.', dot) > 0) {
    const v4 = ipv4ToBig(text.slice(dot + 1));
    text = `${text.slice(0, dot + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const words = (s: string): number[] => (s === '' ? [] : s.split(':').map((w) => Number.parseInt(w, 16)));
  const h = words(head);
  const t = tail === undefined ? [] : words(tail);
  const all = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  return all.reduce((n, w) => (n << 16n) | BigInt(w), 0n);
}

/** glibc inet_ntop(AF_INET6), which is what ovs-ofctl prints (RFC 5952 plus dotted IPv4 tails). */
export function bigToIpv6(n: bigint): string {
  const w = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt((7 - i) * 16)) & 0xffffn));
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  for (let i = 0; i < 8; i++) {
    if (w[i] === 0) {
      cur = cur.base === -1 ? { base: i, len: 1 } : { base: cur.base, len: cur.len + 1 };
      if (cur.len > best.len) best = cur;
    } else {
      cur = { base: -1, len: 0 };
    }
  }
  if (best.len < 2) best = { base: -1, len: 0 };
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (best.base !== -1 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) s += ':';
      continue;
    }
    if (i !== 0) s += ':';
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && w[5] === 0xffff))) {
      s += bigToIpv4((BigInt(w[6] ?? 0) << 16n) | BigInt(w[7] ?? 0));
      break;
    }
    s += (w[i] ?? 0).toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) s += ':';
  return s;
}

// --- Field values as bigints -------------------------------------------------------------------

export function spec(name: string): FieldSpec {
  const s = FIELD_SPECS.find((f) => f.name === name);
  assert.ok(s, `no field ${name}`);
  return s;
}

export function valueToBig(s: FieldSpec, v: FieldValue): bigint {
  switch (s.kind) {
    case 'mac':
      return macToBig(String(v));
    case 'ipv4':
      return ipv4ToBig(String(v));
    case 'ipv6':
      return ipv6ToBig(String(v));
    default:
      return BigInt(v);
  }
}

export function bigToValue(s: FieldSpec, n: bigint): FieldValue {
  switch (s.kind) {
    case 'mac':
      return bigToMac(n);
    case 'ipv4':
      return bigToIpv4(n);
    case 'ipv6':
      return bigToIpv6(n);
    case 'u64':
    case 'u128':
      return n;
    default:
      return Number(n);
  }
}

export function entry(field: string, value: FieldValue, mask?: FieldValue): FieldMatch {
  return (mask === undefined ? { field, value } : { field, value, mask }) as FieldMatch;
}

// --- Canonical forms: what decode(encode(x)) must give back ------------------------------------

const RANK = new Map(MATCH_ORDER.map((n, i) => [n, i]));

/**
 * A match as the encoder puts it on the wire and the decoder reads it back: xxregN split into
 * reg4N..reg4N+3 (most significant first, all-zero words dropped), masks covering every
 * meaningful bit dropped, value bits outside the mask cleared, Open vSwitch's field order
 * (unknown fields last, in their original order).
 */
export function canonicalMatch(match: Match): MatchEntry[] {
  const out: MatchEntry[] = [];
  for (const e of match) {
    if (e.field === 'unknown') {
      out.push(e);
      continue;
    }
    const s = spec(e.field);
    if (e.field.startsWith('xxreg')) {
      const x = Number(e.field.slice(5));
      const v = BigInt(e.value);
      const m = e.mask === undefined ? (1n << 128n) - 1n : BigInt(e.mask);
      for (let i = 0; i < 4; i++) {
        const shift = BigInt((3 - i) * 32);
        const wm = Number((m >> shift) & 0xffffffffn);
        if (wm === 0) continue;
        const wv = Number((v >> shift) & 0xffffffffn) & wm;
        out.push(
          wm === 0xffffffff ? entry(`reg${x * 4 + i}`, wv >>> 0) : entry(`reg${x * 4 + i}`, wv >>> 0, wm),
        );
      }
      continue;
    }
    if (e.mask === undefined) {
      out.push(entry(e.field, bigToValue(s, valueToBig(s, e.value))));
      continue;
    }
    const full = (1n << BigInt(s.bits)) - 1n;
    const m = valueToBig(s, e.mask);
    const v = valueToBig(s, e.value) & m;
    out.push(
      (m & full) === full ? entry(e.field, bigToValue(s, v)) : entry(e.field, bigToValue(s, v), e.mask),
    );
  }
  const rank = (e: MatchEntry): number => (e.field === 'unknown' ? 1e6 : (RANK.get(e.field) ?? 1e5));
  return out
    .map((e, i) => [e, i] as const)
    .sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1])
    .map(([e]) => e);
}

/** NXT_PACKET_IN2 / NXT_RESUME metadata: canonical order and masked values, nothing else changed. */
export function canonicalMetadata(match: Match): MatchEntry[] {
  const out = match.map((e): MatchEntry => {
    if (e.field === 'unknown' || e.mask === undefined) return e;
    const s = spec(e.field);
    return entry(e.field, bigToValue(s, valueToBig(s, e.value) & valueToBig(s, e.mask)), e.mask);
  });
  const rank = (e: MatchEntry): number => (e.field === 'unknown' ? 1e6 : (RANK.get(e.field) ?? 1e5));
  return out
    .map((e, i) => [e, i] as const)
    .sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1])
    .map(([e]) => e);
}

function canonicalNat(n: NatSpec): NatSpec {
  const addr = (a: string): string => (a.includes(':') ? bigToIpv6(ipv6ToBig(a)) : a);
  return {
    ...(n.kind ? { kind: n.kind } : {}),
    ...(n.addressMin !== undefined ? { addressMin: addr(n.addressMin) } : {}),
    ...(n.addressMax !== undefined ? { addressMax: addr(n.addressMax) } : {}),
    ...(n.portMin !== undefined ? { portMin: n.portMin } : {}),
    ...(n.portMax !== undefined ? { portMax: n.portMax } : {}),
    ...(n.persistent ? { persistent: true } : {}),
    ...(n.portSelection ? { portSelection: n.portSelection } : {}),
  };
}

function canonicalCt(a: CtAction): CtAction {
  const exec = canonicalActions(a.exec ?? []);
  return {
    type: 'ct',
    ...(a.commit ? { commit: true } : {}),
    ...(a.force ? { force: true } : {}),
    ...(a.zone === undefined || a.zone === 0 ? {} : { zone: a.zone }),
    ...(a.table === undefined ? {} : { table: a.table }),
    ...(a.alg ? { alg: a.alg } : {}),
    ...(a.nat ? { nat: canonicalNat(a.nat) } : {}),
    ...(exec.length ? { exec } : {}),
  };
}

function canonicalLearn(a: LearnAction): LearnAction {
  return {
    type: 'learn',
    table: a.table,
    ...(a.idleTimeout ? { idleTimeout: a.idleTimeout } : {}),
    ...(a.hardTimeout ? { hardTimeout: a.hardTimeout } : {}),
    ...(a.finIdleTimeout ? { finIdleTimeout: a.finIdleTimeout } : {}),
    ...(a.finHardTimeout ? { finHardTimeout: a.finHardTimeout } : {}),
    ...(a.priority !== undefined && a.priority !== 0x8000 ? { priority: a.priority } : {}),
    ...(a.cookie ? { cookie: a.cookie } : {}),
    ...(a.sendFlowRem ? { sendFlowRem: true } : {}),
    ...(a.deleteLearned ? { deleteLearned: true } : {}),
    ...(a.limit ? { limit: a.limit } : {}),
    ...(a.resultDst ? { resultDst: a.resultDst } : {}),
    specs: a.specs,
  };
}

/** A note's bytes as decoded: padded with zeros so the action fills a multiple of 8 bytes (>= 16). */
export function paddedNote(data: Buffer): Buffer {
  const total = Math.max(16, Math.ceil((10 + data.length) / 8) * 8);
  return Buffer.concat([data, Buffer.alloc(total - 10 - data.length)]);
}

export function canonicalAction(a: Action): Action {
  switch (a.type) {
    case 'output':
      return a.port === OFPP.CONTROLLER
        ? { type: 'output', port: a.port, maxLen: a.maxLen ?? 0xffff }
        : { type: 'output', port: a.port };
    case 'set_field': {
      const s = spec(a.field);
      const v = bigToValue(s, valueToBig(s, a.value));
      return (
        a.mask === undefined
          ? { type: 'set_field', field: a.field, value: v }
          : { type: 'set_field', field: a.field, value: v, mask: bigToValue(s, valueToBig(s, a.mask)) }
      ) as SetFieldAction;
    }
    case 'resubmit':
      return {
        type: 'resubmit',
        ...(a.port === undefined || a.port === OFPP.IN_PORT ? {} : { port: a.port }),
        ...(a.table === undefined || a.table === 0xff ? {} : { table: a.table }),
        ...(a.ct ? { ct: true } : {}),
      };
    case 'ct':
      return canonicalCt(a);
    case 'learn':
      return canonicalLearn(a);
    case 'dec_ttl':
      return a.controllerIds?.length
        ? { type: 'dec_ttl', controllerIds: a.controllerIds }
        : { type: 'dec_ttl' };
    case 'note':
      return { type: 'note', data: paddedNote(a.data) };
    case 'controller':
      return {
        type: 'controller',
        ...(a.maxLen !== undefined && a.maxLen !== 0xffff ? { maxLen: a.maxLen } : {}),
        ...(a.reason !== undefined && a.reason !== 'action' ? { reason: a.reason } : {}),
        ...(a.controllerId ? { controllerId: a.controllerId } : {}),
        ...(a.userdata?.length ? { userdata: a.userdata } : {}),
        ...(a.pause ? { pause: true } : {}),
        ...(a.meterId ? { meterId: a.meterId } : {}),
      };
    case 'output_reg':
      return a.maxLen === undefined || a.maxLen === 0xffff
        ? { type: 'output_reg', src: a.src }
        : { type: 'output_reg', src: a.src, maxLen: a.maxLen };
    default:
      return a;
  }
}

export function canonicalActions(actions: readonly Action[]): Action[] {
  return actions.map(canonicalAction);
}

const INSTRUCTION_RANK: Record<Instruction['type'], number> = {
  meter: 0,
  apply_actions: 1,
  clear_actions: 2,
  write_actions: 3,
  write_metadata: 4,
  goto_table: 5,
};

export function canonicalInstructions(instructions: readonly Instruction[]): Instruction[] {
  return [...instructions]
    .sort((a, b) => INSTRUCTION_RANK[a.type] - INSTRUCTION_RANK[b.type])
    .map((i) =>
      i.type === 'apply_actions' || i.type === 'write_actions'
        ? { type: i.type, actions: canonicalActions(i.actions) }
        : i,
    );
}

function canonicalFlags<F extends object>(f: F): F {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v === true)) as F;
}

function canonicalFlowStats(f: FlowStats): FlowStats {
  return {
    ...f,
    flags: canonicalFlags(f.flags),
    match: canonicalMatch(f.match),
    instructions: canonicalInstructions(f.instructions),
  };
}

/** What decodeMessage(encodeMessage(m, xid)).message must deep-equal. */
export function canonicalMessage(m: OpenFlowMessage): OpenFlowMessage {
  switch (m.type) {
    case 'hello':
      return { type: 'hello', versions: [...new Set(m.versions)].sort((a, b) => a - b) };
    case 'flow_mod':
      return {
        ...m,
        flags: canonicalFlags(m.flags),
        match: canonicalMatch(m.match),
        instructions: canonicalInstructions(m.instructions),
      };
    case 'group_mod':
      return { ...m, buckets: m.buckets.map((b) => ({ ...b, actions: canonicalActions(b.actions) })) };
    case 'packet_out':
      return {
        ...m,
        actions: canonicalActions(m.actions),
        data: m.bufferId === OFP_NO_BUFFER ? m.data : Buffer.alloc(0),
      };
    case 'packet_in':
    case 'flow_removed':
      return { ...m, match: canonicalMatch(m.match) };
    case 'multipart_request':
      return m.body.kind === 'flow' ? { ...m, body: { ...m.body, match: canonicalMatch(m.body.match) } } : m;
    case 'multipart_reply':
      switch (m.body.kind) {
        case 'flow':
          return { ...m, body: { kind: 'flow', flows: m.body.flows.map(canonicalFlowStats) } };
        case 'group_desc':
          return {
            ...m,
            body: {
              kind: 'group_desc',
              groups: m.body.groups.map((g) => ({
                ...g,
                buckets: g.buckets.map((b) => ({ ...b, actions: canonicalActions(b.actions) })),
              })),
            },
          };
        default:
          return m;
      }
    case 'bundle_control':
      return { ...m, flags: canonicalFlags(m.flags) };
    case 'bundle_add':
      return { ...m, flags: canonicalFlags(m.flags), message: canonicalMessage(m.message) };
    case 'nx_packet_in2':
    case 'nx_resume':
      return { ...m, metadata: canonicalMetadata(m.metadata) };
    default:
      return m;
  }
}

/** The flow-stats entry a switch would report for a flow installed by `m` (no counters). */
export function flowStatsOf(m: FlowMod): FlowStats {
  return {
    tableId: m.tableId,
    durationSec: 0,
    durationNsec: 0,
    priority: m.priority,
    idleTimeout: m.idleTimeout,
    hardTimeout: m.hardTimeout,
    flags: m.flags,
    cookie: m.cookie,
    packetCount: 0n,
    byteCount: 0n,
    match: m.match,
    instructions: m.instructions,
  };
}

// --- ovs-ofctl -------------------------------------------------------------------------------

/** Fails with a clear message when ovs-ofctl is missing (CI installs openvswitch-switch). */
export function requireOvsOfctl(): string {
  try {
    return execFileSync('ovs-ofctl', ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? '';
  } catch (error) {
    assert.fail(
      `ovs-ofctl is required for this test (apt-get install openvswitch-switch): ${describeError(error)}`,
    );
  }
}

export interface Printed {
  readonly hex: string;
  readonly text: string;
}

/** `ovs-ofctl ofp-print HEX` for every message, a few processes at a time; stdout+stderr joined. */
export async function ofpPrintAll(hexes: readonly string[], concurrency = 4): Promise<Printed[]> {
  const out: Printed[] = new Array<Printed>(hexes.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < hexes.length) {
      const i = next++;
      const hex = hexes[i] as string;
      const text = await new Promise<string>((resolve, reject) => {
        execFile(
          'ovs-ofctl',
          ['ofp-print', hex],
          { encoding: 'utf8', timeout: 10_000 },
          (error, stdout, stderr) => {
            if (error && error.code === 'ENOENT') reject(new Error('ovs-ofctl not found'));
            else resolve(`${stdout}${stderr}`.trim());
          },
        );
      });
      out[i] = { hex, text };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}
