// Checks of a port's structured attributes with neutron-lib's reasons (validate_fixed_ips,
// _validate_allowed_address_pairs, dict_or_none for binding:profile), converted to core's input
// shapes. Also the fixed_ips list filter (`fixed_ips=ip_address=…`, `subnet_id=…`,
// `ip_address_substr=…`), as Neutron's get_ports reads it.
import { badRequest, HttpError } from '../../http/http-error.js';
import type { IndexQuery } from '../resource.js';
import { cidr, Invalid, ipAddress, macAddress, py, string, uuid, type Check } from '../validators.js';

function isDict(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A fixed IP as requested (core's FixedIpRequest). */
export interface FixedIpRequest {
  readonly subnetId?: string;
  readonly ipAddress?: string;
}

/** neutron-lib validate_fixed_ips: a list of {subnet_id?, ip_address?}, no address twice. */
export const fixedIps: Check = (v) => {
  if (!Array.isArray(v)) throw new Invalid(`Invalid data format for fixed IP: '${py(v)}'`);
  const seen: string[] = [];
  return (v as unknown[]).map((item): FixedIpRequest => {
    if (!isDict(item)) throw new Invalid(`Invalid data format for fixed IP: '${py(item)}'`);
    const out: { subnetId?: string; ipAddress?: string } = {};
    if ('ip_address' in item) {
      const text = item.ip_address;
      if (typeof text === 'string' && seen.includes(text))
        throw new Invalid(`Duplicate IP address '${text}'`);
      out.ipAddress = ipAddress(text) as string;
      seen.push(String(text));
    }
    if ('subnet_id' in item) out.subnetId = uuid(item.subnet_id) as string;
    // Like Neutron, other keys are ignored.
    return out;
  });
};

/** Neutron's default max_allowed_address_pair. */
const MAX_ADDRESS_PAIRS = 10;

export interface AddressPairInput {
  readonly ipAddress: string;
  readonly macAddress?: string;
}

/** neutron-lib _validate_allowed_address_pairs (null means none). */
export const allowedAddressPairs: Check = (v) => {
  if (v === null) return [];
  if (!Array.isArray(v)) throw badRequest('Allowed address pairs must be a list.');
  if (v.length > MAX_ADDRESS_PAIRS) {
    throw badRequest(
      `The number of allowed address pair exceeds the maximum ${MAX_ADDRESS_PAIRS}.`,
      'AllowedAddressPairExhausted',
    );
  }
  const seen = new Set<string>();
  return v.map((pair): AddressPairInput => {
    if (!isDict(pair)) throw new Invalid(`'${py(pair)}' is not a dictionary`);
    let mac: string | undefined;
    if ('mac_address' in pair) {
      try {
        mac = macAddress(pair.mac_address) as string;
      } catch (error) {
        throw badRequest((error as Error).message);
      }
    }
    if (!('ip_address' in pair)) {
      throw badRequest('AllowedAddressPair must contain ip_address', 'AllowedAddressPairsMissingIP');
    }
    const key = `${String(pair.mac_address)}|${String(pair.ip_address)}`;
    if (seen.has(key)) {
      throw badRequest(
        `Request contains duplicate address pair: mac_address ${py(pair.mac_address)} ip_address ${py(pair.ip_address)}.`,
        'DuplicateAddressPairInRequest',
      );
    }
    seen.add(key);
    const unknown = Object.keys(pair).filter((k) => k !== 'mac_address' && k !== 'ip_address');
    if (unknown.length > 0) throw badRequest(`Unrecognized attribute(s) '${unknown.join(', ')}'`);
    const text = pair.ip_address;
    let ip: string;
    try {
      ip = (typeof text === 'string' && text.includes('/') ? cidr(text) : ipAddress(text)) as string;
    } catch (error) {
      throw badRequest((error as Error).message);
    }
    return mac === undefined ? { ipAddress: ip } : { ipAddress: ip, macAddress: mac };
  });
};

type ProfileValue = string | number | boolean;

/**
 * binding:profile: a dictionary or null (= empty). Weir keeps a flat profile (the model's
 * shape): values are strings, numbers or booleans.
 */
export const bindingProfile: Check = (v) => {
  if (v === null) return {};
  if (!isDict(v)) throw new Invalid(`'${py(v)}' is not a dictionary`);
  const out: Record<string, ProfileValue> = {};
  for (const [key, value] of Object.entries(v)) {
    if (key.length > 64) throw new Invalid(`'${key}' exceeds maximum length of 64`);
    if (typeof value === 'string') out[key] = string(255)(value) as string;
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = value;
    else throw new Invalid(`value of '${key}' must be a string, a number or a boolean`);
  }
  return out;
};

/** The vNIC types Weir's model knows (a subset of neutron-lib's VNIC_TYPES). */
export const VNIC_TYPES = ['normal', 'direct', 'macvtap', 'baremetal', 'virtio-forwarder'] as const;

// ---- the fixed_ips list filter --------------------------------------------------------------

export interface FixedIpsFilter {
  readonly ipAddress: readonly string[];
  readonly subnetId: readonly string[];
  readonly ipAddressSubstr: readonly string[];
}

/** neutron-lib convert_kvp_list_to_dict over the filter's values; malformed ones are a 400. */
export function parseFixedIpsFilter(wanted: readonly string[]): FixedIpsFilter {
  const map = new Map<string, string[]>();
  // `?fixed_ips=True` is a flag without values: no condition.
  if (!(wanted.length === 1 && wanted[0] === 'True')) {
    for (const w of wanted) {
      const at = w.indexOf('=');
      const key = at < 0 ? '' : w.slice(0, at).trim();
      if (key === '') {
        throw new HttpError(
          400,
          'InvalidInput',
          `Invalid input for operation: '${w}' is not of the form <key>=[value].`,
        );
      }
      map.set(key, [...(map.get(key) ?? []), w.slice(at + 1).trim()]);
    }
  }
  // Other keys are ignored, as Neutron does.
  return {
    ipAddress: map.get('ip_address') ?? [],
    subnetId: map.get('subnet_id') ?? [],
    ipAddressSubstr: map.get('ip_address_substr') ?? [],
  };
}

interface WireFixedIp {
  readonly subnet_id: string;
  readonly ip_address: string;
}

/** Each given key must match some fixed IP of the port (keys independently, as in Neutron). */
export function matchFixedIps(value: unknown, wanted: readonly string[]): boolean {
  const f = parseFixedIpsFilter(wanted);
  const ips = (Array.isArray(value) ? value : []) as WireFixedIp[];
  if (f.ipAddress.length > 0 && !ips.some((ip) => f.ipAddress.includes(ip.ip_address))) return false;
  if (f.subnetId.length > 0 && !ips.some((ip) => f.subnetId.includes(ip.subnet_id))) return false;
  if (f.ipAddressSubstr.length > 0) {
    if (!ips.some((ip) => f.ipAddressSubstr.some((s) => ip.ip_address.includes(s)))) return false;
  }
  return true;
}

/** A fixed_ips filter naming subnets is answered by the ports' subnet index. */
export function fixedIpsIndex(wanted: readonly string[]): IndexQuery | undefined {
  const f = parseFixedIpsFilter(wanted);
  if (f.subnetId.length === 0 || f.subnetId.length > 16) return undefined;
  return { name: 'subnet', values: f.subnetId };
}

/** Filters on a string the store indexes only when non-empty (device_id, binding:host_id). */

/** mac_address filters compare sanitised MACs (lower case, colons), as Neutron does. */
export function matchMac(value: unknown, wanted: readonly string[]): boolean {
  return wanted.some((w) => w.toLowerCase().replace(/-/g, ':') === value);
}
