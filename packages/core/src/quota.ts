// Per-project quotas (Neutron's [quotas] defaults, overridable per project by a quota object).
// The check counts the project's objects before the create; two creates racing at the very limit
// can both pass (overshoot bounded by the number of concurrent writers), as with Neutron before
// its reservation engine. Strict accounting would serialise every create of a project on one
// counter, which would collapse throughput under concurrency.
import type { TableName } from '@weir/model';
import type { CoreContext } from './context.js';
import { quotaExceeded } from './errors.js';

export async function quotaLimit(ctx: CoreContext, projectId: string, resource: string): Promise<number> {
  const quota = await ctx.store.get('quota', projectId);
  return quota?.limits[resource] ?? ctx.config.defaultQuotas[resource] ?? -1;
}

export async function checkQuota(
  ctx: CoreContext,
  projectId: string,
  resource: string,
  table: TableName,
  adding = 1,
): Promise<void> {
  // Both reads at once: one round trip of latency instead of two.
  const [limit, used] = await Promise.all([
    quotaLimit(ctx, projectId, resource),
    ctx.store.count(table, { topic: projectId }),
  ]);
  if (limit < 0) return;
  if (used + adding > limit) throw quotaExceeded(resource, limit);
}
