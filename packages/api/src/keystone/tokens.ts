// Self-contained tokens: the payload (who, where, which roles, how, when, audit ids) signed with
// HMAC-SHA256 under the deployment's token secret. Any replica holding the secret validates any
// replica's tokens without a store read; only revocation needs shared state (revocations.ts).
//
// Wire form: `w1.<base64url(JSON payload)>.<base64url(HMAC over "w1.<payload>")>`. The payload is
// signed, not encrypted: whoever holds a token can read its user and project ids and roles — which
// `GET /v3/auth/tokens` would tell them anyway.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_PREFIX = 'w1.';

export interface TokenPayload {
  /** User id. */
  readonly u: string;
  /** Project id; absent for an unscoped token. */
  readonly p?: string;
  /** Role names, implied roles included (admin → member → reader). */
  readonly r: readonly string[];
  /** Authentication methods ("password", "token"). */
  readonly m: readonly string[];
  /** Issued at, milliseconds since the epoch. */
  readonly i: number;
  /** Expires at, milliseconds since the epoch. */
  readonly e: number;
  /** Audit ids: this token's, then the one it was rescoped from (Keystone's audit chain). */
  readonly a: readonly string[];
}

/** A Keystone-style audit id: 16 random bytes, url-safe base64 without padding (22 characters). */
export function newAuditId(): string {
  return randomBytes(16).toString('base64url');
}

/** Longer tokens are not ours (and not worth an HMAC). */
const MAX_TOKEN_LENGTH = 4096;

export interface TokenSigner {
  sign(payload: TokenPayload): string;
  /** The payload when the signature holds and the shape is right; undefined otherwise. */
  verify(token: string): TokenPayload | undefined;
}

export function tokenSigner(secret: string): TokenSigner {
  const key = Buffer.from(secret, 'utf8');
  const mac = (text: string): Buffer => createHmac('sha256', key).update(text).digest();
  return {
    sign(payload) {
      const body = `${TOKEN_PREFIX}${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      return `${body}.${mac(body).toString('base64url')}`;
    },
    verify(token) {
      if (token.length > MAX_TOKEN_LENGTH || !token.startsWith(TOKEN_PREFIX)) return undefined;
      const dot = token.lastIndexOf('.');
      if (dot <= TOKEN_PREFIX.length) return undefined;
      const body = token.slice(0, dot);
      const given = Buffer.from(token.slice(dot + 1), 'base64url');
      const expected = mac(body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(body.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'));
      } catch {
        return undefined;
      }
      return isPayload(parsed) ? parsed : undefined;
    },
  };
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Signed payloads are ours, but a secret shared with an older version could sign other shapes. */
function isPayload(v: unknown): v is TokenPayload {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.u === 'string' &&
    (o.p === undefined || typeof o.p === 'string') &&
    isStrings(o.r) &&
    isStrings(o.m) &&
    Number.isSafeInteger(o.i) &&
    Number.isSafeInteger(o.e) &&
    isStrings(o.a) &&
    o.a.length >= 1
  );
}
