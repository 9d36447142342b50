// Every register bit the pipeline uses, named once, with what it carries and who writes and reads
// it (in the manner of Antrea's pkg/agent/openflow/fields.go). This is the ONLY file that spells a
// raw register (`reg6`): apps, tables and tests use the named fields and marks below, through the
// helpers at the end, so moving a field to another register is a one-line change here.
//
// The register contract of the architecture (ARCHITECTURE.md §3, after Dragonflow's):
//   network key, source port key, destination port key, router key.
// After the classifier, ports are referred to by key, never by OpenFlow port number; only the
// classifier (in) and the output tables (out) see port numbers.
//
// Why registers rather than `metadata` for the network key (Dragonflow used metadata): every key
// is then a 32-bit number of the same kind, conntrack can take its zone straight from a register
// subfield, and the 64-bit metadata stays free for a later app that needs it.
//
// To add a field: pick free bits (the map below), declare it with its writers and readers, and
// list it in the contracts of the tables that match or set it (tables.ts). Bits no field declares
// are refused by the flow builder, so an undeclared use fails a unit test.
//
//   reg0[0..15]   FlagsField (marks below)         reg0[16..31] free
//   reg1          NextHopIpv4Field (l3, future)    reg2, reg3   free
//   reg4          NetworkKeyField                  reg5         RouterKeyField
//   reg6          SrcPortKeyField                  reg7         DstPortKeyField
//   reg8..reg15, xxreg*, metadata                  free (undeclared: refused until declared)
import type { FieldMatch, FieldName, LoadAction, SetFieldAction, Subfield } from '@weir/openflow';
import { ControllerError } from '../errors.js';
import type { AppName } from './apps.js';

/** Packet header and tunnel/conntrack fields: everything but the registers, which are named below. */
export type PacketField = Exclude<FieldName, `reg${number}` | `xxreg${number}` | 'metadata'>;

type RegisterIndex = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15;
type RegisterName = `reg${RegisterIndex}`;

/** A named bit range of one 32-bit register. */
export interface RegisterField {
  readonly kind: 'register';
  /** `<Meaning>Field`, as dumps, docs and contract errors show it. */
  readonly name: string;
  readonly register: RegisterName;
  readonly start: number;
  readonly nBits: number;
  /** What the bits mean, in one sentence. */
  readonly carries: string;
  readonly writers: readonly AppName[];
  readonly readers: readonly AppName[];
}

/** A one-bit flag inside a register field. */
export interface Mark {
  readonly kind: 'mark';
  /** `<Meaning>Mark`. */
  readonly name: string;
  readonly field: RegisterField;
  /** Bit index inside `field` (0 = the field's lowest bit). */
  readonly bit: number;
  readonly meaning: string;
  readonly writers: readonly AppName[];
  readonly readers: readonly AppName[];
}

const ALL_APPS_AFTER_CLASSIFIER: readonly AppName[] = [
  'port-security',
  'l2',
  'arp-responder',
  'tunneling',
  'security-groups',
  'l3',
  'nat',
  'load-balancer',
  'dhcp',
  'provider',
  'trunk',
];

export const NetworkKeyField: RegisterField = {
  kind: 'register',
  name: 'NetworkKeyField',
  register: 'reg4',
  start: 0,
  nBits: 32,
  carries:
    'unique key of the logical switch (network) the packet is on; its low 16 bits are the conntrack zone',
  writers: ['classifier', 'tunneling', 'provider', 'trunk', 'l3'],
  readers: ALL_APPS_AFTER_CLASSIFIER,
};

export const RouterKeyField: RegisterField = {
  kind: 'register',
  name: 'RouterKeyField',
  register: 'reg5',
  start: 0,
  nBits: 32,
  carries: 'unique key of the logical router routing the packet (0: not being routed)',
  writers: ['l3'],
  readers: ['l3', 'nat', 'load-balancer'],
};

export const SrcPortKeyField: RegisterField = {
  kind: 'register',
  name: 'SrcPortKeyField',
  register: 'reg6',
  start: 0,
  nBits: 32,
  carries: 'unique key of the logical port the packet came from (0: from a tunnel or provider network)',
  writers: ['classifier', 'trunk'],
  readers: ALL_APPS_AFTER_CLASSIFIER,
};

export const DstPortKeyField: RegisterField = {
  kind: 'register',
  name: 'DstPortKeyField',
  register: 'reg7',
  start: 0,
  nBits: 32,
  carries: 'unique key of the logical port the packet goes to, once a lookup decided it',
  writers: ['l2', 'l3', 'load-balancer', 'trunk'],
  readers: ['classifier', 'port-security', 'security-groups', 'tunneling', 'provider', 'trunk', 'l2'],
};

export const NextHopIpv4Field: RegisterField = {
  kind: 'register',
  name: 'NextHopIpv4Field',
  register: 'reg1',
  start: 0,
  nBits: 32,
  carries: 'IPv4 next hop a route chose, resolved to a MAC by the next table (future, l3)',
  writers: ['l3'],
  readers: ['l3'],
};

export const FlagsField: RegisterField = {
  kind: 'register',
  name: 'FlagsField',
  register: 'reg0',
  start: 0,
  nBits: 16,
  carries: 'one-bit marks about the packet (see the marks); matched and set bit by bit',
  writers: ['tunneling', 'provider', 'port-security'],
  readers: ['l2', 'security-groups', 'tunneling'],
};

export const FromTunnelMark: Mark = {
  kind: 'mark',
  name: 'FromTunnelMark',
  field: FlagsField,
  bit: 0,
  meaning:
    'the packet arrived over a tunnel: deliver it only to local ports, never back to a tunnel (split horizon)',
  writers: ['tunneling'],
  readers: ['l2', 'tunneling'],
};

export const FromProviderMark: Mark = {
  kind: 'mark',
  name: 'FromProviderMark',
  field: FlagsField,
  bit: 1,
  meaning:
    'the packet arrived from a provider (VLAN/flat) network: never send it back to the physical bridge',
  writers: ['provider'],
  readers: ['l2', 'provider'],
};

export const PortSecurityDisabledMark: Mark = {
  kind: 'mark',
  name: 'PortSecurityDisabledMark',
  field: FlagsField,
  bit: 2,
  meaning:
    'the source port has port_security_enabled=false: no anti-spoofing, and security groups let it through',
  writers: ['port-security'],
  readers: ['security-groups'],
};

/** Every declared register field, in register order (docs and the overlap test read this). */
export const REGISTER_FIELDS: readonly RegisterField[] = [
  FlagsField,
  NextHopIpv4Field,
  NetworkKeyField,
  RouterKeyField,
  SrcPortKeyField,
  DstPortKeyField,
];

export const MARKS: readonly Mark[] = [FromTunnelMark, FromProviderMark, PortSecurityDisabledMark];

// ---- helpers: the only way the rest of the controller touches registers -----------------------

function fieldMask(field: RegisterField): number {
  return field.nBits === 32 ? 0xffffffff : (((1 << field.nBits) - 1) << field.start) >>> 0;
}

function markBit(mark: Mark): number {
  return (1 << (mark.field.start + mark.bit)) >>> 0;
}

function checkValue(field: RegisterField, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** field.nBits) {
    throw new ControllerError(
      'WEIR_PIPELINE_VALUE',
      `${value} does not fit ${field.name} (${field.nBits} bits)`,
      { subject: field.name },
    );
  }
}

/** Match `field == value` (masked to the field's bits when it does not fill its register). */
export function matchRegister(field: RegisterField, value: number): FieldMatch {
  checkValue(field, value);
  if (field.nBits === 32) return { field: field.register, value };
  return { field: field.register, value: (value << field.start) >>> 0, mask: fieldMask(field) };
}

/** Match packets that carry `mark`. */
export function matchMark(mark: Mark): FieldMatch {
  return { field: mark.field.register, value: markBit(mark), mask: markBit(mark) };
}

/** Match packets that do not carry `mark`. */
export function matchNoMark(mark: Mark): FieldMatch {
  return { field: mark.field.register, value: 0, mask: markBit(mark) };
}

/**
 * Write `value` into `field`: a set_field when the field fills its register, else a Nicira
 * reg_load of its bit range — what ovs-ofctl sends for `set_field:V/M->regN` with a contiguous
 * mask, so our bytes and `ovs-ofctl`'s agree.
 */
export function loadRegister(field: RegisterField, value: number): SetFieldAction | LoadAction {
  checkValue(field, value);
  if (field.nBits === 32) return { type: 'set_field', field: field.register, value };
  return { type: 'load', dst: registerSubfield(field), value: BigInt(value) };
}

export function setMark(mark: Mark): LoadAction {
  return {
    type: 'load',
    dst: { field: mark.field.register, start: mark.field.start + mark.bit, nBits: 1 },
    value: 1n,
  };
}

export function clearMark(mark: Mark): LoadAction {
  return {
    type: 'load',
    dst: { field: mark.field.register, start: mark.field.start + mark.bit, nBits: 1 },
    value: 0n,
  };
}

/**
 * The field's bits as a Nicira subfield, for move, output_reg, ct(zone=…) and learn. `bits`
 * narrows to a part of the field, e.g. the 16-bit conntrack zone of NetworkKeyField.
 */
export function registerSubfield(
  field: RegisterField,
  bits: { start?: number; nBits?: number } = {},
): Subfield {
  const start = bits.start ?? 0;
  const nBits = bits.nBits ?? field.nBits - start;
  if (start < 0 || nBits < 1 || start + nBits > field.nBits) {
    throw new ControllerError('WEIR_PIPELINE_VALUE', `bits ${start}+${nBits} are outside ${field.name}`, {
      subject: field.name,
    });
  }
  return { field: field.register, start: field.start + start, nBits };
}

/** What a use of some bits of a register-like field touches, for the contract check. */
export interface RegisterUse {
  /** Declared fields whose bits were touched (a FlagsField touch resolves to its marks). */
  readonly fields: readonly RegisterField[];
  readonly marks: readonly Mark[];
  /** Touched bits that no field or mark declares: always refused. */
  readonly undeclared: boolean;
  /** The raw name, for error messages only (e.g. "reg0 bits 0xf0000"). */
  readonly raw: string;
}

const REGISTER_LIKE = /^(reg\d+|xxreg\d+|metadata)$/;

/** Whether `field` is a register (or metadata/xxreg) rather than a packet header field. */
export function isRegisterLike(field: FieldName): boolean {
  return REGISTER_LIKE.test(field);
}

/**
 * Resolve a use of `field` under `mask` (all ones when omitted) to declared fields and marks.
 * Returns undefined for packet header fields.
 */
export function registerUse(field: FieldName, mask?: bigint): RegisterUse | undefined {
  if (!REGISTER_LIKE.test(field)) return undefined;
  const raw = mask === undefined ? field : `${field} bits 0x${mask.toString(16)}`;
  // Registers Weir does not declare (metadata, xxreg) are wholly undeclared.
  if (!/^reg\d+$/.test(field)) return { fields: [], marks: [], undeclared: true, raw };
  let rest = mask ?? 0xffffffffn;
  const fields: RegisterField[] = [];
  const marks: Mark[] = [];
  for (const f of REGISTER_FIELDS) {
    if (f.register !== field) continue;
    const fm = BigInt(fieldMask(f));
    if ((rest & fm) === 0n) continue;
    const ownMarks = MARKS.filter((m) => m.field === f);
    if (ownMarks.length === 0) {
      fields.push(f);
      rest &= ~fm;
      continue;
    }
    // A flags field is used bit by bit: resolve to its marks; bits no mark names stay undeclared.
    for (const m of ownMarks) {
      const b = BigInt(markBit(m));
      if ((rest & b) !== 0n) {
        marks.push(m);
        rest &= ~b;
      }
    }
  }
  return { fields, marks, undeclared: rest !== 0n, raw };
}

/** A register mask (number or bigint) in the form `registerUse` takes; undefined for anything else. */
export function maskBits(mask: unknown): bigint | undefined {
  if (typeof mask === 'bigint') return mask;
  if (typeof mask === 'number') return BigInt(mask >>> 0);
  return undefined;
}
