// The token secret every replica signs and checks tokens with (ADR 0007). From the configuration
// when `identity.token_secret` is set; otherwise generated once per store and kept there, taken
// with a claim (the store's atomic create-if-absent) whose owner string is the secret: the first
// replica to start wins, every later one reads the winner's. Anyone who can read the store can
// then forge tokens — but they can already write any object in it directly.
import { randomBytes } from 'node:crypto';
import { isWeirError } from '@weir/model';
import type { Store } from '@weir/nbdb';

export const SECRET_NAMESPACE = 'keystone';
export const SECRET_KEY = 'token-secret';

export async function tokenSecret(configured: string | undefined, store: Store): Promise<string> {
  if (configured !== undefined) return configured;
  const mine = randomBytes(32).toString('base64url');
  try {
    await store.commit([{ kind: 'claim', namespace: SECRET_NAMESPACE, key: SECRET_KEY, owner: mine }]);
    return mine;
  } catch (error) {
    if (!isWeirError(error) || error.code !== 'WEIR_STORE_CLAIMED') throw error;
  }
  const held = (await store.listClaims(SECRET_NAMESPACE)).find((c) => c.key === SECRET_KEY);
  // A claim is only ever released by hand (rotation): then the next start makes a new one.
  if (!held) return tokenSecret(configured, store);
  return held.owner;
}
