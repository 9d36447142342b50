// Per-project quota limits as Neutron's quotas API manages them (neutron/extensions/quotasv2.py
// and the DB quota driver): defaults from configuration, overrides stored in one quota object per
// project, usage counted the way the creates check it (quota.ts), and admin-only changes.
import type { Quota, TableName } from '@weir/model';
import { WeirError } from '@weir/model';
import type { Actor, CoreContext } from '../context.js';
import { forbidden } from '../errors.js';
import { baseFields, touch } from '../objects.js';
import { withRetries } from '../retry.js';
import { securityGroupRuleCount } from './security-groups.js';

/** Quota resource → the table whose objects of a project it counts. */
const COUNTED_TABLE: Readonly<Record<string, TableName>> = {
  network: 'logical_switch',
  subnet: 'subnet',
  port: 'logical_port',
  router: 'router',
  floatingip: 'floating_ip',
  security_group: 'security_group',
  trunk: 'trunk',
  loadbalancer: 'load_balancer',
  listener: 'listener',
  pool: 'pool',
  member: 'member',
  healthmonitor: 'health_monitor',
};

/** How many of a resource the project has now. */
export async function quotaUsage(ctx: CoreContext, projectId: string, resource: string): Promise<number> {
  if (resource === 'security_group_rule') return securityGroupRuleCount(ctx, projectId);
  const table = COUNTED_TABLE[resource];
  return table === undefined ? 0 : ctx.store.count(table, { topic: projectId });
}

export function defaultQuotas(ctx: CoreContext, resources: readonly string[]): Record<string, number> {
  return Object.fromEntries(resources.map((r) => [r, ctx.config.defaultQuotas[r] ?? -1]));
}

/** The limits in force for a project: the defaults with its overrides on top. */
export async function projectQuotas(
  ctx: CoreContext,
  projectId: string,
  resources: readonly string[],
): Promise<Record<string, number>> {
  const stored = await ctx.store.get('quota', projectId);
  const out = defaultQuotas(ctx, resources);
  for (const r of resources) {
    const v = stored?.limits[r];
    if (v !== undefined) out[r] = v;
  }
  return out;
}

export interface QuotaDetail {
  readonly limit: number;
  readonly used: number;
  /** Neutron's reservations; Weir checks by counting, so nothing is ever reserved. */
  readonly reserved: number;
}

export async function projectQuotaDetails(
  ctx: CoreContext,
  projectId: string,
  resources: readonly string[],
): Promise<Record<string, QuotaDetail>> {
  const limits = await projectQuotas(ctx, projectId, resources);
  const used = await Promise.all(resources.map((r) => quotaUsage(ctx, projectId, r)));
  return Object.fromEntries(
    resources.map((r, i) => [r, { limit: limits[r] ?? -1, used: used[i] ?? 0, reserved: 0 }]),
  );
}

function requireAdmin(actor: Actor, rule: string): void {
  if (!actor.admin) throw forbidden(`(rule:${rule}) is disallowed by policy`);
}

/** Every project that has overrides (Neutron lists exactly those). */
export async function listProjectQuotas(ctx: CoreContext, actor: Actor): Promise<readonly Quota[]> {
  requireAdmin(actor, 'get_quota');
  return (await ctx.store.list('quota')).items;
}

/**
 * Sets some limits of a project. Unless `force`, a limit below what the project already uses is
 * refused (Neutron since 2025.1); -1 (unlimited) always passes.
 */
export async function setProjectQuotas(
  ctx: CoreContext,
  actor: Actor,
  projectId: string,
  limits: Readonly<Record<string, number>>,
  options: { force?: boolean } = {},
): Promise<Quota> {
  requireAdmin(actor, 'update_quota');
  if (options.force !== true) {
    for (const [resource, limit] of Object.entries(limits)) {
      if (limit === -1) continue;
      const used = await quotaUsage(ctx, projectId, resource);
      if (used > limit) {
        throw new WeirError(
          'WEIR_CORE_BAD_REQUEST',
          `Quota limit ${limit} for ${resource} must be greater than or equal to already used ${used}`,
          [],
          'HTTPBadRequest',
        );
      }
    }
  }
  return withRetries(ctx, 'set quotas', async () => {
    const current = await ctx.store.get('quota', projectId);
    if (current) {
      const next = touch(ctx, { ...current, limits: { ...current.limits, ...limits } });
      const result = await ctx.store.commit([{ kind: 'update', table: 'quota', object: next }]);
      ctx.stats.commits++;
      return result.written[0] as Quota;
    }
    const base = await baseFields(ctx, 'quota', projectId, {}, projectId);
    const quota: Quota = { ...base, limits: { ...limits } };
    const result = await ctx.store.commit([{ kind: 'create', table: 'quota', object: quota }]);
    ctx.stats.commits++;
    return result.written[0] as Quota;
  });
}

/** Back to the defaults; a project without overrides is Neutron's TenantQuotaNotFound. */
export async function deleteProjectQuotas(ctx: CoreContext, actor: Actor, projectId: string): Promise<void> {
  requireAdmin(actor, 'delete_quota');
  await withRetries(ctx, 'delete quotas', async () => {
    const current = await ctx.store.get('quota', projectId);
    if (!current) {
      throw new WeirError(
        'WEIR_CORE_NOT_FOUND',
        `Quota for project ${projectId} could not be found.`,
        [],
        'TenantQuotaNotFound',
      );
    }
    await ctx.store.commit([
      { kind: 'delete', table: 'quota', id: projectId, expectedVersion: current.version },
    ]);
    ctx.stats.commits++;
  });
}
