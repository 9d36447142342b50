// Password hashes for the configuration file: scrypt (node's crypto, memory-hard, no native
// dependency), written as `scrypt$<N>$<r>$<p>$<salt>$<key>` with base64url salt and key, so the
// cost can be raised later without invalidating existing hashes. `weir hash-password` makes them.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** N=2^15, r=8, p=1: ~32 MiB and ~50-100 ms per check; OWASP's floor for scrypt is N=2^17 with
 * r=8, p=1 for interactive logins, but a token lasts an hour and tempest logs in dozens of
 * accounts at once, so we take the cost of one hash below that and say so in the ADR. */
export const DEFAULT_COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Keystone's default `max_password_length`. */
export const MAX_PASSWORD_LENGTH = 4096;

interface Parsed {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

const HASH = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{16,88})\$([A-Za-z0-9_-]{43,88})$/;

function derive(password: string, salt: Buffer, cost: Omit<Parsed, 'salt' | 'key'>, length: number) {
  const options: ScryptOptions = {
    N: cost.N,
    r: cost.r,
    p: cost.p,
    // Node refuses anything above 32 MiB by default; scrypt needs 128·N·r·p bytes.
    maxmem: 128 * cost.N * cost.r * cost.p + 4 * 1024 * 1024,
  };
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Parses a stored hash, or undefined when it is not one we can check (refused at start-up). */
export function parseHash(hash: string): Parsed | undefined {
  const m = HASH.exec(hash);
  if (!m) return undefined;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // N a power of two, and bounded so a hostile config cannot make a check take minutes.
  if (N < 2 || N > 2 ** 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return undefined;
  return {
    N,
    r,
    p,
    salt: Buffer.from(m[4] as string, 'base64url'),
    key: Buffer.from(m[5] as string, 'base64url'),
  };
}

export async function hashPassword(password: string, cost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost, KEY_BYTES);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when `password` matches `hash`; constant time in the comparison. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const parsed = parseHash(hash);
  if (!parsed || password.length > MAX_PASSWORD_LENGTH) return false;
  const key = await derive(password, parsed.salt, parsed, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

/**
 * A hash nobody's password matches, checked when the user does not exist so that an unknown
 * user name costs as much time as a wrong password (no user enumeration by timing).
 */
export const DECOY_HASH = `scrypt$${DEFAULT_COST.N}$${DEFAULT_COST.r}$${DEFAULT_COST.p}$${Buffer.alloc(SALT_BYTES, 7).toString('base64url')}$${Buffer.alloc(KEY_BYTES).toString('base64url')}`;
