// String formats the schemas use, registered with TypeBox once. (TypeBox treats an unregistered
// format as valid, so every format named in a schema must be registered here — a test checks.)
import { Format } from 'typebox/format';

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

function ipv4Number(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/** IPv6 text to a 128-bit integer, or undefined. Accepts embedded IPv4 tails. */
function ipv6BigInt(text: string): bigint | undefined {
  let s = text;
  const lastColon = s.lastIndexOf(':');
  if (lastColon < 0) return undefined;
  if (s.includes('.', lastColon)) {
    const v4 = ipv4Number(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): string[] => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const n = head.length + tail.length;
  if (halves.length === 1 ? n !== 8 : n > 7) return undefined;
  let v = 0n;
  for (const g of [...head, ...new Array<string>(8 - n).fill('0'), ...tail]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return v;
}

export function isIp(s: string): boolean {
  return ipv4Number(s) !== undefined || ipv6BigInt(s) !== undefined;
}

/** Prefix with zero host bits, v4 or v6. */
export function isCidr(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const addr = s.slice(0, slash);
  const lenText = s.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(lenText)) return false;
  const len = Number(lenText);
  const v4 = ipv4Number(addr);
  if (v4 !== undefined) {
    if (len > 32) return false;
    return len === 32 || (v4 & (0xffffffff >>> len)) >>> 0 === 0;
  }
  const v6 = ipv6BigInt(addr);
  if (v6 === undefined || len > 128) return false;
  return (v6 & ((1n << BigInt(128 - len)) - 1n)) === 0n;
}

let registered = false;

export function registerFormats(): void {
  if (registered) return;
  registered = true;
  Format.Set('mac', (s) => MAC_RE.test(s));
  Format.Set('ip', isIp);
  Format.Set('cidr', isCidr);
  Format.Set('ip-or-cidr', (s) => isIp(s) || isCidr(s));
}

export const FORMATS = ['uuid', 'date-time', 'ipv4', 'mac', 'ip', 'cidr', 'ip-or-cidr'] as const;
