// Token revocation (`DELETE /v3/auth/tokens`): a `token_revocation` record per revoked token,
// keyed by its audit id, which every replica learns through its watch (cache.ts). A record is
// useless once the token would have expired anyway, so revoking also sweeps expired records.
import { isoSeconds, type CoreContext } from '@weir/core';
import { isWeirError } from '@weir/model';

export const REVOCATION_TOPIC = 'identity';

export async function recordRevocation(ctx: CoreContext, auditId: string, expiresAt: number): Promise<void> {
  const now = isoSeconds(ctx.now());
  try {
    await ctx.store.commit([
      {
        kind: 'create',
        table: 'token_revocation',
        object: {
          id: auditId,
          topic: REVOCATION_TOPIC,
          version: 0,
          uniqueKey: await ctx.store.allocateUniqueKey('token_revocation'),
          name: '',
          description: '',
          tags: [],
          createdAt: now,
          updatedAt: now,
          expiresAt: new Date(expiresAt).toISOString(),
        },
      },
    ]);
  } catch (error) {
    // Revoked twice (here or by another replica): the first record stands.
    if (!isWeirError(error) || error.code !== 'WEIR_STORE_EXISTS') throw error;
  }
}

/** Deletes records of tokens that have expired anyway. Best effort: replicas may race to it. */
export async function sweepRevocations(ctx: CoreContext, now: number): Promise<number> {
  let removed = 0;
  for (const r of (await ctx.store.list('token_revocation')).items) {
    if (Date.parse(r.expiresAt) > now) continue;
    try {
      await ctx.store.commit([
        { kind: 'delete', table: 'token_revocation', id: r.id, expectedVersion: r.version },
      ]);
      removed++;
    } catch (error) {
      if (!isWeirError(error)) throw error;
    }
  }
  return removed;
}
