// Action text → instructions: everything formatInstructions prints, plus the common aliases
// ovs-ofctl accepts (mod_dl_dst, strip_vlan, in_port, bare port numbers…).
import type {
  Action,
  CtAction,
  Instruction,
  LearnAction,
  LearnSpec,
  NatSpec,
  PacketInReasonName,
  SetFieldAction,
  Subfield,
} from '../actions/types.js';
import { PACKET_IN_REASONS } from '../actions/types.js';
import { OFPP } from '../constants.js';
import { fieldByName, subfieldSpecByName } from '../fields/registry.js';
import type { FieldName } from '../fields/types.js';
import { valueToBigInt } from '../fields/values.js';
import { call, keyValue, parseBigInt, parseError, parseInteger, splitTopLevel } from './lex.js';
import { parseFieldValue, parsePort } from './parse-values.js';

/** "NXM_NX_REG0[0..15]", "NXM_NX_REG0[5]", "NXM_NX_REG0[]", "reg0" (whole field). */
export function parseSubfield(text: string): Subfield {
  const m = /^([A-Za-z0-9_]+)(?:\[(?:(\d+)(?:\.\.(\d+))?)?\])?$/.exec(text.trim());
  if (!m) throw parseError(`bad subfield "${text}"`);
  const spec = subfieldSpecByName(m[1] ?? '');
  if (!spec) throw parseError(`unknown field "${m[1]}"`);
  const field = spec.name as FieldName;
  if (m[2] === undefined) return { field, start: 0, nBits: spec.bits };
  const start = Number(m[2]);
  const end = m[3] === undefined ? start : Number(m[3]);
  if (end < start || end >= spec.bits)
    throw parseError(`subfield ${text} is outside ${spec.name} (${spec.bits} bits)`);
  return { field, start, nBits: end - start + 1 };
}

function parseHexBytes(text: string): Buffer {
  const clean = text.replace(/\./g, '');
  if (!/^([0-9a-f]{2})*$/i.test(clean)) throw parseError(`bad hex bytes "${text}"`);
  return Buffer.from(clean, 'hex');
}

function parseNat(args: string | undefined): NatSpec {
  if (args === undefined) return {};
  const parts = splitTopLevel(args, ',');
  const nat: { -readonly [K in keyof NatSpec]: NatSpec[K] } = {};
  for (const p of parts) {
    if (p === 'persistent') nat.persistent = true;
    else if (p === 'hash' || p === 'random') nat.portSelection = p;
    else {
      const [k, v] = keyValue(p, '=');
      if (k !== 'src' && k !== 'dst') throw parseError(`nat option "${p}"`);
      nat.kind = k;
      if (v === undefined) continue;
      // addr[-addr][:port[-port]]; IPv6 addresses in brackets when a port follows.
      const m =
        /^(\[[^\]]+\]|[^:\-[\]]+|[0-9a-f:]+)(?:-(\[[^\]]+\]|[^:\-[\]]+))?(?::(\d+)(?:-(\d+))?)?$/i.exec(v);
      // Unbracketed IPv6 (incl. IPv4-mapped "::ffff:1.2.3.4"): two or more colons and no port.
      const v6 = /^[0-9a-f:.]+(-[0-9a-f:.]+)?$/i.test(v) && (v.match(/:/g)?.length ?? 0) >= 2;
      if (v6) {
        const [a, b] = v.split('-');
        nat.addressMin = a ?? '';
        if (b) nat.addressMax = b;
        continue;
      }
      if (!m) throw parseError(`nat range "${v}"`);
      const strip = (s: string): string => s.replace(/^\[|\]$/g, '');
      nat.addressMin = strip(m[1] ?? '');
      if (m[2]) nat.addressMax = strip(m[2]);
      if (m[3]) nat.portMin = Number(m[3]);
      if (m[4]) nat.portMax = Number(m[4]);
    }
  }
  return nat;
}

function parseCt(args: string): CtAction {
  const ct: { -readonly [K in keyof CtAction]: CtAction[K] } = { type: 'ct' };
  for (const p of splitTopLevel(args, ',')) {
    const c = call(p);
    if (c && c[0] === 'exec') {
      ct.exec = parseActionList(c[1]);
      continue;
    }
    if (c && c[0] === 'nat') {
      ct.nat = parseNat(c[1]);
      continue;
    }
    const [k, v] = keyValue(p, '=');
    switch (k) {
      case 'commit':
        ct.commit = true;
        break;
      case 'force':
        ct.force = true;
        break;
      case 'nat':
        ct.nat = {};
        break;
      case 'table':
        ct.table = parseInteger(v ?? '', 'ct table', 254);
        break;
      case 'zone':
        ct.zone = /^(0x[0-9a-f]+|\d+)$/i.test(v ?? '')
          ? parseInteger(v ?? '', 'ct zone', 0xffff)
          : parseSubfield(v ?? '');
        break;
      case 'alg':
        ct.alg = v === 'ftp' ? 21 : v === 'tftp' ? 69 : parseInteger(v ?? '', 'alg', 0xffff);
        break;
      default:
        throw parseError(`ct option "${p}"`);
    }
  }
  return ct;
}

function parseLearn(args: string): LearnAction {
  const learn: { -readonly [K in keyof LearnAction]: LearnAction[K] } = {
    type: 'learn',
    table: 1,
    specs: [],
  };
  const specs: LearnSpec[] = [];
  for (const p of splitTopLevel(args, ',')) {
    const [k, v] = keyValue(p, '=:');
    const num = (max = 0xffff): number => parseInteger(v ?? '', k, max);
    switch (k) {
      case 'table':
        learn.table = num(254);
        continue;
      case 'idle_timeout':
        learn.idleTimeout = num();
        continue;
      case 'hard_timeout':
        learn.hardTimeout = num();
        continue;
      case 'fin_idle_timeout':
        learn.finIdleTimeout = num();
        continue;
      case 'fin_hard_timeout':
        learn.finHardTimeout = num();
        continue;
      case 'priority':
        learn.priority = num();
        continue;
      case 'cookie':
        learn.cookie = parseBigInt(v ?? '', 'cookie');
        continue;
      case 'limit':
        learn.limit = num(0xffffffff);
        continue;
      case 'send_flow_rem':
        learn.sendFlowRem = true;
        continue;
      case 'delete_learned':
        learn.deleteLearned = true;
        continue;
      case 'result_dst':
        learn.resultDst = parseSubfield(v ?? '');
        continue;
      default:
        break;
    }
    if (p.startsWith('load:')) {
      const [src, dst] = p.slice(5).split('->');
      const d = parseSubfield(dst ?? '');
      specs.push(
        /^(0x[0-9a-f]+|\d+)$/i.test(src ?? '')
          ? { kind: 'load', dst: d, value: parseBigInt(src ?? '', 'learn load') }
          : { kind: 'load', dst: d, src: parseSubfield(src ?? '') },
      );
      continue;
    }
    if (p.startsWith('output:')) {
      specs.push({ kind: 'output', src: parseSubfield(p.slice(7)) });
      continue;
    }
    // Match specs: "field=value", "SUBFIELD=SUBFIELD", "SUBFIELD=0x5", "SUBFIELD".
    const eq = p.indexOf('=');
    const left = eq < 0 ? p : p.slice(0, eq);
    const right = eq < 0 ? undefined : p.slice(eq + 1);
    const whole = left.includes('[') ? undefined : subfieldSpecByName(left);
    if (right === undefined) {
      const sf = parseSubfield(left);
      specs.push({ kind: 'match', dst: sf, src: sf });
    } else if (whole && !left.includes('[')) {
      const dst = parseSubfield(left);
      if (/^[A-Za-z_]/.test(right) && subfieldSpecByName(right.replace(/\[.*$/, ''))) {
        specs.push({ kind: 'match', dst, src: parseSubfield(right) });
      } else {
        const parsed = parseFieldValue(whole, right);
        let value = valueToBigInt(whole, parsed.value);
        // NXM_OF_IN_PORT is 16 bits: reserved ports in OpenFlow 1.0 numbering (ANY = 0xffff).
        if (whole.bits === 16 && whole.name === 'in_port' && value >= 0xffffff00n) value -= 0xffff0000n;
        specs.push({ kind: 'match', dst, value });
      }
    } else {
      const dst = parseSubfield(left);
      if (/^(0x[0-9a-f]+|\d+)$/i.test(right))
        specs.push({ kind: 'match', dst, value: parseBigInt(right, 'learn match') });
      else specs.push({ kind: 'match', dst, src: parseSubfield(right) });
    }
  }
  learn.specs = specs;
  return learn;
}

function parseController(args: string | undefined): Action {
  const c: {
    -readonly [K in keyof Extract<Action, { type: 'controller' }>]: Extract<
      Action,
      { type: 'controller' }
    >[K];
  } = {
    type: 'controller',
  };
  for (const p of args === undefined ? [] : splitTopLevel(args, ',')) {
    const [k, v] = keyValue(p, '=');
    switch (k) {
      case 'max_len':
        c.maxLen = parseInteger(v ?? '', k, 0xffff);
        break;
      case 'reason': {
        const r = (v ?? '') as PacketInReasonName;
        if (!PACKET_IN_REASONS.includes(r)) throw parseError(`controller reason "${v}"`);
        c.reason = r;
        break;
      }
      case 'id':
        c.controllerId = parseInteger(v ?? '', k, 0xffff);
        break;
      case 'userdata':
        c.userdata = parseHexBytes(v ?? '');
        break;
      case 'pause':
        c.pause = true;
        break;
      case 'meter_id':
        c.meterId = parseInteger(v ?? '', k);
        break;
      default:
        throw parseError(`controller option "${p}"`);
    }
  }
  const simple = !c.reason && !c.controllerId && !c.userdata && !c.pause && !c.meterId;
  return simple ? { type: 'output', port: OFPP.CONTROLLER, maxLen: c.maxLen ?? 0xffff } : c;
}

const SET_FIELD_ALIASES: Record<string, string> = {
  mod_dl_src: 'eth_src',
  mod_dl_dst: 'eth_dst',
  mod_nw_src: 'ip_src',
  mod_nw_dst: 'ip_dst',
  mod_nw_ttl: 'nw_ttl',
  set_tunnel: 'tun_id',
  set_tunnel64: 'tun_id',
};

export function parseAction(token: string): Action {
  const c = call(token);
  if (c) {
    const [name, args] = c;
    switch (name) {
      case 'resubmit': {
        const [port, table, ct] = args.split(',').map((s) => s.trim());
        if (ct !== undefined && ct !== 'ct' && ct !== '') throw parseError(`resubmit option "${ct}"`);
        return {
          type: 'resubmit',
          ...(port ? { port: parsePort(port) } : {}),
          ...(table ? { table: parseInteger(table, 'resubmit table', 254) } : {}),
          ...(ct === 'ct' ? { ct: true } : {}),
        };
      }
      case 'ct':
        return parseCt(args);
      case 'conjunction': {
        const m = /^\s*(\d+)\s*,\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(args);
        if (!m) throw parseError(`conjunction(${args})`);
        return { type: 'conjunction', id: Number(m[1]), clause: Number(m[2]), nClauses: Number(m[3]) };
      }
      case 'learn':
        return parseLearn(args);
      case 'dec_ttl':
        return {
          type: 'dec_ttl',
          controllerIds: args.split(',').map((s) => parseInteger(s, 'controller id', 0xffff)),
        };
      case 'controller':
        return parseController(args);
      default:
        throw parseError(`unknown action "${token}"`);
    }
  }
  const [name, arg] = keyValue(token, ':');
  switch (name) {
    case 'drop':
      throw parseError('"drop" must be the only action');
    case 'output': {
      if (arg === undefined) throw parseError('output needs a port');
      if (/^[A-Za-z_]+[A-Za-z0-9_]*\[/.test(arg)) return { type: 'output_reg', src: parseSubfield(arg) };
      return { type: 'output', port: parsePort(arg) };
    }
    case 'in_port':
    case 'IN_PORT':
      return { type: 'output', port: OFPP.IN_PORT };
    case 'LOCAL':
    case 'local':
    case 'NORMAL':
    case 'normal':
    case 'FLOOD':
    case 'flood':
    case 'ALL':
    case 'all':
    case 'TABLE':
      return { type: 'output', port: parsePort(name) };
    case 'CONTROLLER':
    case 'controller':
      return {
        type: 'output',
        port: OFPP.CONTROLLER,
        maxLen: arg === undefined ? 0xffff : parseInteger(arg, 'max_len', 0xffff),
      };
    case 'group':
      return { type: 'group', groupId: parseInteger(arg ?? '', 'group') };
    case 'set_field': {
      const [value, field] = (arg ?? '').split('->');
      const spec = fieldByName((field ?? '').trim());
      if (!spec) throw parseError(`set_field: unknown field "${field}"`);
      const parsed = parseFieldValue(spec, (value ?? '').trim());
      if (parsed.mask !== undefined) {
        // Like ovs-ofctl: a contiguous mask is a reg_load of that bit range.
        const m = valueToBigInt(spec, parsed.mask);
        const start = lowestBit(m);
        const nBits = m === 0n ? 0 : (m >> BigInt(start)).toString(2).length;
        if (nBits > 0 && m === ((1n << BigInt(nBits)) - 1n) << BigInt(start)) {
          const v = (valueToBigInt(spec, parsed.value) & m) >> BigInt(start);
          return { type: 'load', dst: { field: spec.name as FieldName, start, nBits }, value: v };
        }
      }
      return (
        parsed.mask === undefined
          ? { type: 'set_field', field: spec.name, value: parsed.value }
          : { type: 'set_field', field: spec.name, value: parsed.value, mask: parsed.mask }
      ) as SetFieldAction;
    }
    case 'load': {
      const [value, dst] = (arg ?? '').split('->');
      return { type: 'load', dst: parseSubfield(dst ?? ''), value: parseBigInt(value ?? '', 'load value') };
    }
    case 'move': {
      const [src, dst] = (arg ?? '').split('->');
      return { type: 'move', src: parseSubfield(src ?? ''), dst: parseSubfield(dst ?? '') };
    }
    case 'resubmit':
      return { type: 'resubmit', port: parsePort(arg ?? '') };
    case 'ct':
      return { type: 'ct' };
    case 'ct_clear':
      return { type: 'ct_clear' };
    case 'dec_ttl':
      return { type: 'dec_ttl' };
    case 'push_vlan':
      return { type: 'push_vlan', ethertype: parseInteger(arg ?? '', 'push_vlan', 0xffff) };
    case 'pop_vlan':
    case 'strip_vlan':
      return { type: 'pop_vlan' };
    case 'note':
      return { type: 'note', data: parseHexBytes(arg ?? '') };
    case 'set_queue':
      return { type: 'set_queue', queueId: parseInteger(arg ?? '', 'queue') };
    case 'exit':
      return { type: 'exit' };
    default: {
      const alias = SET_FIELD_ALIASES[name];
      if (alias && arg !== undefined) return parseAction(`set_field:${arg}->${alias}`);
      if (/^\d+$/.test(name) && arg === undefined) return { type: 'output', port: Number(name) };
      throw parseError(`unknown action "${token}"`);
    }
  }
}

function lowestBit(n: bigint): number {
  let i = 0;
  while (n !== 0n && ((n >> BigInt(i)) & 1n) === 0n) i++;
  return i;
}

export function parseActionList(text: string): Action[] {
  if (text.trim() === 'drop') return [];
  return splitTopLevel(text, ',').map(parseAction);
}

/** The text after "actions=" → instructions (apply-actions plus any instruction keywords). */
export function parseInstructions(text: string): Instruction[] {
  const tokens = splitTopLevel(text, ',');
  if (tokens.length === 1 && tokens[0] === 'drop') return [];
  const actions: Action[] = [];
  const out: Instruction[] = [];
  for (const t of tokens) {
    const c = call(t);
    if (c && c[0] === 'write_actions') {
      out.push({ type: 'write_actions', actions: parseActionList(c[1]) });
      continue;
    }
    const [k, v] = keyValue(t, ':');
    if (k === 'goto_table')
      out.push({ type: 'goto_table', tableId: parseInteger(v ?? '', 'goto_table', 254) });
    else if (k === 'meter') out.push({ type: 'meter', meterId: parseInteger(v ?? '', 'meter') });
    else if (k === 'clear_actions') out.push({ type: 'clear_actions' });
    else if (k === 'write_metadata') {
      const [value, mask] = (v ?? '').split('/');
      out.push({
        type: 'write_metadata',
        metadata: parseBigInt(value ?? '', 'metadata'),
        mask: mask === undefined ? 0xffffffffffffffffn : parseBigInt(mask, 'metadata mask'),
      });
    } else actions.push(parseAction(t));
  }
  if (actions.length > 0) out.unshift({ type: 'apply_actions', actions });
  return out;
}
