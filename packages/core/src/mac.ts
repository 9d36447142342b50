// MAC addresses: generated as <prefix>:xx:xx:xx (OpenStack's fa:16:3e by default) and unique per
// network through claims in namespace "mac:<networkId>", taken in the port's own commit.
import type { CoreContext } from './context.js';
import { invalidInput } from './errors.js';

const MAC_RE = /^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2}){4}$/;

export function generateMac(ctx: CoreContext): string {
  const tail = ctx.randomBytes(3);
  return [...ctx.config.macPrefix, ...tail].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** Normalises a user-given MAC to lower-case colon form; refuses multicast and all-zero MACs. */
export function normaliseMac(text: string): string {
  if (typeof text !== 'string' || !MAC_RE.test(text))
    throw invalidInput(`'${String(text)}' is not a valid MAC address`, 'mac_address');
  const mac = text.toLowerCase().replace(/-/g, ':');
  const first = Number.parseInt(mac.slice(0, 2), 16);
  if (first & 1 || mac === '00:00:00:00:00:00')
    throw invalidInput(`'${text}' is not a valid unicast MAC address`, 'mac_address');
  return mac;
}
