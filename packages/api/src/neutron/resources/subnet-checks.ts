// Checks of a subnet's list attributes with neutron-lib's reasons (validate_ip_pools,
// validate_nameservers, validate_hostroutes). They check shape and syntax; core checks meaning
// (pools inside the CIDR, routes of the subnet's IP version, the gateway).
import { formatPrefix, parsePrefix } from '@weir/core';
import { Invalid, ipAddress, py, type Check } from '../validators.js';

function isDict(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** neutron-lib _verify_dict_keys (strict): exactly these keys. */
function exactKeys(v: unknown, expected: readonly string[]): Record<string, unknown> {
  if (!isDict(v)) {
    throw new Invalid(`Invalid input. '${py(v)}' must be a dictionary with keys: ${py(expected)}`);
  }
  const given = Object.keys(v);
  if (given.length !== expected.length || !expected.every((k) => k in v)) {
    const set = (keys: readonly string[]): string => `{${keys.map((k) => `'${k}'`).join(', ')}}`;
    throw new Invalid(
      `Validation of dictionary's keys failed. Expected keys: ${set(expected)} Provided keys: ${set(given)}`,
    );
  }
  return v;
}

export interface Pool {
  readonly start: string;
  readonly end: string;
}

export const allocationPools: Check = (v) => {
  if (!Array.isArray(v)) throw new Invalid(`Invalid data format for IP pool: '${py(v)}'`);
  return v.map((item): Pool => {
    const pool = exactKeys(item, ['start', 'end']);
    return { start: ipAddress(pool.start) as string, end: ipAddress(pool.end) as string };
  });
};

/** null means none (neutron-lib convert_none_to_empty_list). */
export const dnsNameservers: Check = (v) => {
  if (v === null) return [];
  if (!Array.isArray(v)) throw new Invalid(`Invalid data format for nameserver: '${py(v)}'`);
  const out: string[] = [];
  for (const host of v) {
    let ip: string;
    try {
      ip = ipAddress(host) as string;
    } catch (error) {
      throw new Invalid(`'${py(host)}' is not a valid nameserver. ${(error as Error).message}`);
    }
    if (out.includes(ip)) throw new Invalid(`Duplicate nameserver '${py(host)}'`);
    out.push(ip);
  }
  return out;
};

export interface Route {
  readonly destination: string;
  readonly nexthop: string;
}

/** neutron-lib validate_route_cidr: a network address with its prefix, not loopback. */
function routeCidr(v: unknown): string {
  const text = typeof v === 'string' ? v : '';
  const prefix = text.includes('/') ? parsePrefix(text, true) : undefined;
  if (!prefix) throw new Invalid(`'${py(v)}' is not a valid CIDR`);
  const canonical = formatPrefix(prefix);
  if (canonical.startsWith('127.') || canonical === '::1/128')
    throw new Invalid(`'${text}' is not a routable CIDR`);
  return canonical;
}

export const hostRoutes: Check = (v) => {
  if (v === null) return [];
  if (!Array.isArray(v)) throw new Invalid(`Invalid data format for hostroute: '${py(v)}'`);
  const out: Route[] = [];
  for (const item of v) {
    const route = exactKeys(item, ['destination', 'nexthop']);
    const r = { destination: routeCidr(route.destination), nexthop: ipAddress(route.nexthop) as string };
    if (out.some((o) => o.destination === r.destination && o.nexthop === r.nexthop)) {
      throw new Invalid(`Duplicate hostroute '${py(item)}'`);
    }
    out.push(r);
  }
  return out;
};
