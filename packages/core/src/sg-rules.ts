// Security group rule checks with Neutron's order, exception kinds and wording
// (neutron/db/securitygroups_db.py _validate_base_security_group_rule_attributes and the
// converters of neutron/extensions/securitygroup.py): the result is the rule as it is stored,
// plus the key Neutron compares to find duplicates.
import type { WeirError } from '@weir/model';
import { formatPrefix, parsePrefix, type Prefix } from './addr.js';
import { badRequest } from './errors.js';

export type EtherType = 'IPv4' | 'IPv6';

export interface RuleFields {
  readonly direction: 'ingress' | 'egress';
  readonly ethertype?: EtherType;
  /** A name (any case), an IANA number (as text or number), 'any' or null/absent for any. */
  readonly protocol?: string | number | null;
  readonly portRangeMin?: number | null;
  readonly portRangeMax?: number | null;
  readonly remoteIpPrefix?: string | null;
  readonly remoteGroupId?: string | null;
}

export interface CanonicalRule {
  readonly direction: 'ingress' | 'egress';
  readonly ethertype: EtherType;
  readonly protocol?: string;
  readonly portRangeMin?: number;
  readonly portRangeMax?: number;
  readonly remoteIpPrefix?: string;
  readonly remoteGroupId?: string;
}

/** neutron-lib IP_PROTOCOL_MAP, in its order (the order of the "supported" list in messages). */
export const PROTOCOLS: ReadonlyArray<readonly [string, number]> = [
  ['ah', 51],
  ['dccp', 33],
  ['egp', 8],
  ['esp', 50],
  ['gre', 47],
  ['hopopt', 0],
  ['icmp', 1],
  ['igmp', 2],
  ['ip', 0],
  ['ipip', 4],
  ['ipv6-encap', 41],
  ['ipv6-frag', 44],
  ['ipv6-icmp', 58],
  ['icmpv6', 58],
  ['ipv6-nonxt', 59],
  ['ipv6-opts', 60],
  ['ipv6-route', 43],
  ['ospf', 89],
  ['pgm', 113],
  ['rsvp', 46],
  ['sctp', 132],
  ['tcp', 6],
  ['udp', 17],
  ['udplite', 136],
  ['vrrp', 112],
];
const NUMBER_OF = new Map(PROTOCOLS);
const PORT_PROTOCOLS = new Set([33, 132, 6, 17, 136]);
/** Protocols that only exist over IPv6 (refused with ethertype IPv4). */
const IPV6_ONLY = new Set([
  'ipv6-encap',
  'ipv6-frag',
  'ipv6-icmp',
  'icmpv6',
  'ipv6-nonxt',
  'ipv6-opts',
  'ipv6-route',
]);
const IPV6_ONLY_NUMBERS = new Set([41, 44, 58, 59, 60, 43]);

// Python's repr of Neutron's tuple of accepted values, as its message prints it.
const SUPPORTED = `(None, 'any', ${PROTOCOLS.map(([n]) => `'${n}'`).join(', ')})`;

function invalidProtocol(protocol: unknown): WeirError {
  return badRequest(
    'SecurityGroupRuleInvalidProtocol',
    `Security group rule protocol ${String(protocol)} not supported. Only protocol values ${SUPPORTED} and integer representations [0 to 255] are supported.`,
  );
}

/** Neutron's convert_protocol: undefined for any protocol, else a lower-case name or a number as text. */
export function convertProtocol(value: unknown): string | undefined {
  if (value === undefined || value === null || value === 'any') return undefined;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value <= 255) return String(value);
    throw invalidProtocol(value);
  }
  if (typeof value !== 'string') throw invalidProtocol(value);
  if (/^\s*[-+]?\d+\s*$/.test(value)) {
    const n = Number(value);
    if (n >= 0 && n <= 255) return value;
    throw invalidProtocol(value);
  }
  const lower = value.toLowerCase();
  if (NUMBER_OF.has(lower)) return lower;
  throw invalidProtocol(value);
}

/** The IANA number of a stored protocol (name or number text); undefined for any. */
export function protocolNumber(protocol: string | undefined): number | undefined {
  if (protocol === undefined) return undefined;
  return NUMBER_OF.get(protocol) ?? Number(protocol);
}

function checkPortValue(v: number | null | undefined): number | undefined {
  if (v === null || v === undefined) return undefined;
  if (!Number.isInteger(v) || v < 0 || v > 65535)
    throw badRequest('SecurityGroupInvalidPortValue', `Invalid value for port ${v}`);
  return v;
}

function checkPortRange(protocol: string | undefined, min?: number, max?: number): void {
  if (min === undefined && max === undefined) return;
  if (protocol === undefined) {
    throw badRequest(
      'SecurityGroupProtocolRequiredWithPorts',
      'Must also specify protocol if port range is given.',
    );
  }
  const n = protocolNumber(protocol) as number;
  if (PORT_PROTOCOLS.has(n)) {
    if (min === 0 || max === 0) throw badRequest('SecurityGroupInvalidPortValue', 'Invalid value for port 0');
    if (min === undefined || max === undefined || min > max) {
      throw badRequest(
        'SecurityGroupInvalidPortRange',
        'For TCP/UDP protocols, port_range_min must be <= port_range_max',
      );
    }
  } else if (n === 1 || n === 58) {
    for (const [value, field, attr] of [
      [min, 'type', 'port_range_min'],
      [max, 'code', 'port_range_max'],
    ] as const) {
      if (value !== undefined && (value < 0 || value > 255)) {
        throw badRequest(
          'SecurityGroupInvalidIcmpValue',
          `Invalid value for ICMP ${field} (${attr}) ${value}. It must be 0 to 255.`,
        );
      }
    }
    if (min === undefined && max !== undefined) {
      throw badRequest(
        'SecurityGroupMissingIcmpType',
        `ICMP code (port-range-max) ${max} is provided but ICMP type (port-range-min) is missing.`,
      );
    }
  } else {
    throw badRequest(
      'SecurityGroupInvalidProtocolForPort',
      `Ports cannot be specified for protocol ${n}. Ports are only supported for DCCP, SCTP, TCP, UDP, UDPLITE.`,
    );
  }
}

/** remote_ip_prefix: an address gets a full mask; stored as its network (host bits cleared). */
function parseRemotePrefix(input: string): Prefix {
  const p =
    parsePrefix(input, false) ??
    (input.includes('/') ? undefined : parsePrefix(`${input}/${input.includes(':') ? 128 : 32}`, false));
  if (!p) throw badRequest('InvalidCIDR', `Invalid CIDR ${input} given as IP prefix.`);
  return p;
}

export function canonicalRule(input: RuleFields): CanonicalRule {
  const ethertype = input.ethertype ?? 'IPv4';
  let protocol = convertProtocol(input.protocol);
  // Legacy IPv6 ICMP spellings become ipv6-icmp (and number 1 becomes 58), as Neutron does.
  if (ethertype === 'IPv6' && (protocol === 'icmp' || protocol === 'icmpv6')) protocol = 'ipv6-icmp';
  if (ethertype === 'IPv6' && protocol === '1') protocol = '58';
  let min = checkPortValue(input.portRangeMin);
  let max = checkPortValue(input.portRangeMax);
  const given = input.remoteIpPrefix || undefined;
  const parsed = given === undefined ? undefined : parseRemotePrefix(given);
  // The whole range is no range.
  if (min === 1 && max === 65535) min = max = undefined;
  checkPortRange(protocol, min, max);
  if (parsed && `IPv${parsed.version}` !== ethertype) {
    throw badRequest(
      'SecurityGroupRuleParameterConflict',
      `Conflicting value ethertype ${ethertype} for CIDR ${String(given)}`,
    );
  }
  const prefix = parsed ? formatPrefix(parsed) : undefined;
  if (
    ethertype === 'IPv4' &&
    protocol !== undefined &&
    (IPV6_ONLY.has(protocol) || (/^\d+$/.test(protocol) && IPV6_ONLY_NUMBERS.has(Number(protocol))))
  ) {
    throw badRequest(
      'SecurityGroupEthertypeConflictWithProtocol',
      `Invalid ethertype ${ethertype} for protocol ${protocol}.`,
    );
  }
  if (prefix !== undefined && input.remoteGroupId) {
    throw badRequest(
      'SecurityGroupMultipleRemoteEntites',
      'Only one of remote_ip_prefix or remote_group_id or remote_address_group_id may be provided.',
    );
  }
  return {
    direction: input.direction,
    ethertype,
    ...(protocol === undefined ? {} : { protocol }),
    ...(min === undefined ? {} : { portRangeMin: min }),
    ...(max === undefined ? {} : { portRangeMax: max }),
    ...(prefix === undefined ? {} : { remoteIpPrefix: prefix }),
    ...(input.remoteGroupId ? { remoteGroupId: input.remoteGroupId } : {}),
  };
}

/**
 * What Neutron compares to find a duplicate (_rule_to_key): a protocol's name and number are the
 * same protocol, and a prefix matching everything is no prefix.
 */
export function ruleKey(r: CanonicalRule): string {
  const prefix =
    r.remoteIpPrefix === '0.0.0.0/0' || r.remoteIpPrefix === '::/0' ? undefined : r.remoteIpPrefix;
  return JSON.stringify([
    r.direction,
    r.ethertype,
    r.portRangeMax ?? null,
    r.portRangeMin ?? null,
    protocolNumber(r.protocol) ?? null,
    r.remoteGroupId ?? null,
    prefix ?? null,
  ]);
}
