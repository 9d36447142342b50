// Subnet pools with Neutron's semantics (db_base_plugin_v2: create/update/delete_subnetpool,
// add_prefixes, remove_prefixes). Shared pools are visible to every project but only their owner
// (or an admin) changes them; only admins share a pool or make it a default.
//
// Concurrency without locks:
// - "one default pool per IP version" is a claim (SUBNETPOOL_DEFAULT_NAMESPACE, key 4 or 6),
//   taken in the commit that makes a pool the default and released with it;
// - a delete is atomic with "no subnet allocated from it" (checkEmpty on the subnets' pool index);
// - remove_prefixes lists the pool's subnets and commits with checkNoneJoined on that list, so a
//   subnet allocated meanwhile in the prefixes being removed fails the commit; the subnet create
//   itself checks the pool's version (see subnet-allocation.ts), so it cannot use a prefix removed
//   after it read the pool.
// Updates may only grow the prefixes (Neutron: "Existing prefixes must be a subset of the new
// prefixes"), so they need no check against allocations.
import type { SubnetPool } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import { formatPrefix } from '../addr.js';
import type { Actor, CoreContext } from '../context.js';
import { badRequest, forbidden, invalidInput, notFound } from '../errors.js';
import { baseFields, isVisible, touch, type BaseInput } from '../objects.js';
import { difference, intersects, isSubset, prefixesOf, setOf } from '../prefix-set.js';
import { checkRevision, type IfMatchOptions } from '../revision.js';
import { withRetries } from '../retry.js';
import { parsePrefixes, readPoolSpec } from './subnet-pool-spec.js';

/** Claims of the default pool per IP version: key "4" or "6", owner = pool id. */
export const SUBNETPOOL_DEFAULT_NAMESPACE = 'subnetpool-default';

export interface SubnetPoolInput extends BaseInput {
  readonly prefixes: readonly string[];
  readonly defaultPrefixlen?: number;
  readonly minPrefixlen?: number;
  readonly maxPrefixlen?: number;
  /** Per-project limit in /32 (IPv4) or /64 (IPv6) units. */
  readonly defaultQuota?: number;
  readonly shared?: boolean;
  readonly isDefault?: boolean;
  /** Address scopes are not implemented: only null (none) is accepted. */
  readonly addressScopeId?: string | null;
  readonly projectId?: string;
}

export type SubnetPoolPatch = Partial<Omit<SubnetPoolInput, 'shared' | 'projectId'>>;

function defaultClaim(kind: 'claim' | 'release', pool: SubnetPool): WriteOp {
  return { kind, namespace: SUBNETPOOL_DEFAULT_NAMESPACE, key: String(pool.ipVersion), owner: pool.id };
}

function checkAddressScope(id: string | null | undefined): void {
  if (id !== undefined && id !== null) throw notFound('address_scope', id);
}

/** Neutron's _check_default_subnetpool_exists; the claim in the commit settles races. */
async function checkNoOtherDefault(ctx: CoreContext, version: 4 | 6, self?: string): Promise<void> {
  const defaults = await ctx.store.list('subnet_pool', {
    index: { name: 'isDefault', value: String(version) },
  });
  if (defaults.items.some((p) => p.id !== self)) {
    throw invalidInput(
      'A default subnetpool for this IP family has already been set. Only one default may exist per IP family',
    );
  }
}

/** The pool to change: invisible ones are not found, visible ones of others are forbidden. */
async function readForWrite(ctx: CoreContext, actor: Actor, id: string, rule: string): Promise<SubnetPool> {
  const pool = await ctx.store.get('subnet_pool', id);
  if (!pool || !isVisible(actor, pool, 'subnet_pool')) throw notFound('subnetpool', id);
  if (!actor.admin && pool.topic !== actor.projectId)
    throw forbidden(`(rule:${rule}) is disallowed by policy`);
  return pool;
}

export async function createSubnetPool(
  ctx: CoreContext,
  actor: Actor,
  input: SubnetPoolInput,
): Promise<SubnetPool> {
  if (!actor.admin && input.shared === true)
    throw forbidden('(rule:create_subnetpool:shared) is disallowed by policy');
  if (!actor.admin && input.isDefault === true)
    throw forbidden('(rule:create_subnetpool:is_default) is disallowed by policy');
  if (!actor.admin && input.projectId !== undefined && input.projectId !== actor.projectId)
    throw forbidden('(rule:create_subnetpool) is disallowed by policy');
  const spec = readPoolSpec(input);
  const topic = input.projectId ?? actor.projectId;
  return withRetries(ctx, 'create subnet pool', async () => {
    if (input.isDefault === true) await checkNoOtherDefault(ctx, spec.ipVersion);
    checkAddressScope(input.addressScopeId);
    const pool: SubnetPool = {
      ...(await baseFields(ctx, 'subnet_pool', topic, input)),
      ...spec,
      ...(input.defaultQuota === undefined ? {} : { defaultQuota: input.defaultQuota }),
      shared: input.shared ?? false,
      isDefault: input.isDefault ?? false,
    };
    const ops: WriteOp[] = [{ kind: 'create', table: 'subnet_pool', object: pool }];
    if (pool.isDefault) ops.push(defaultClaim('claim', pool));
    const result = await ctx.store.commit(ops);
    ctx.stats.commits++;
    return result.written[0] as SubnetPool;
  });
}

/** Neutron's _update_subnetpool_dict + SubnetPoolReader on the result: the next pool, checked. */
async function nextPool(ctx: CoreContext, current: SubnetPool, patch: SubnetPoolPatch): Promise<SubnetPool> {
  let prefixes: readonly string[] = current.prefixes;
  if (patch.prefixes !== undefined) {
    if (!isSubset(setOf(parsePrefixes(current.prefixes)), setOf(parsePrefixes(patch.prefixes)))) {
      throw badRequest(
        'IllegalSubnetPoolPrefixUpdate',
        'Illegal update to prefixes: Existing prefixes must be a subset of the new prefixes.',
      );
    }
    prefixes = patch.prefixes;
  }
  const spec = readPoolSpec({
    prefixes,
    minPrefixlen: patch.minPrefixlen ?? current.minPrefixlen,
    maxPrefixlen: patch.maxPrefixlen ?? current.maxPrefixlen,
    defaultPrefixlen: patch.defaultPrefixlen ?? current.defaultPrefixlen,
  });
  const isDefault = patch.isDefault ?? current.isDefault;
  if (isDefault && !current.isDefault) await checkNoOtherDefault(ctx, spec.ipVersion, current.id);
  checkAddressScope(patch.addressScopeId);
  return touch(ctx, {
    ...current,
    ...(patch.name === undefined ? {} : { name: patch.name }),
    ...(patch.description === undefined ? {} : { description: patch.description }),
    ...(patch.tags === undefined ? {} : { tags: [...patch.tags] }),
    ...(patch.defaultQuota === undefined ? {} : { defaultQuota: patch.defaultQuota }),
    ...spec,
    isDefault,
  });
}

/** Writes `next` over `current`, moving the default claim when the default or version changed. */
async function commitPool(ctx: CoreContext, current: SubnetPool, next: SubnetPool): Promise<SubnetPool> {
  const ops: WriteOp[] = [{ kind: 'update', table: 'subnet_pool', object: next }];
  const moved = current.isDefault !== next.isDefault || current.ipVersion !== next.ipVersion;
  if (moved && current.isDefault) ops.push(defaultClaim('release', current));
  if (moved && next.isDefault) ops.push(defaultClaim('claim', next));
  const result = await ctx.store.commit(ops);
  ctx.stats.commits++;
  return result.written[0] as SubnetPool;
}

export async function updateSubnetPool(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  patch: SubnetPoolPatch,
  options: IfMatchOptions = {},
): Promise<SubnetPool> {
  return withRetries(ctx, 'update subnet pool', async () => {
    const current = await readForWrite(ctx, actor, id, 'update_subnetpool');
    if (!actor.admin && patch.isDefault !== undefined)
      throw forbidden('(rule:update_subnetpool:is_default) is disallowed by policy');
    checkRevision(current, options.ifMatchVersion);
    return commitPool(ctx, current, await nextPool(ctx, current, patch));
  });
}

export async function deleteSubnetPool(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  options: IfMatchOptions = {},
): Promise<void> {
  await withRetries(ctx, 'delete subnet pool', async () => {
    const pool = await readForWrite(ctx, actor, id, 'delete_subnetpool');
    checkRevision(pool, options.ifMatchVersion);
    if ((await ctx.store.count('subnet', { index: { name: 'subnetPool', value: id } })) > 0) {
      // Neutron's SubnetPoolDeleteError: a 400, not an InUse 409.
      throw badRequest(
        'SubnetPoolDeleteError',
        'Unable to delete subnet pool: Subnet pool has existing allocations.',
      );
    }
    const ops: WriteOp[] = [
      // Atomic with the delete: a subnet allocated meanwhile makes the commit fail.
      { kind: 'checkEmpty', table: 'subnet', index: { name: 'subnetPool', value: id } },
      { kind: 'delete', table: 'subnet_pool', id, expectedVersion: pool.version },
    ];
    if (pool.isDefault) ops.push(defaultClaim('release', pool));
    await ctx.store.commit(ops);
    ctx.stats.commits++;
  });
}

/** subnetpool-prefix-ops add_prefixes: an update of the prefixes to the union. */
export async function addSubnetPoolPrefixes(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  prefixes: readonly string[],
): Promise<readonly string[]> {
  parsePrefixes(prefixes);
  return withRetries(ctx, 'add subnet pool prefixes', async () => {
    const current = await readForWrite(ctx, actor, id, 'add_prefixes');
    if (prefixes.length === 0) return current.prefixes;
    const next = await nextPool(ctx, current, { prefixes: [...current.prefixes, ...prefixes] });
    return (await commitPool(ctx, current, next)).prefixes;
  });
}

/**
 * subnetpool-prefix-ops remove_prefixes: refused when a subnet allocated from the pool lies in
 * what is removed; a no-op when nothing of it is in the pool. Neutron writes the result without
 * checking it again, so a pool may end with no prefixes at all.
 */
export async function removeSubnetPoolPrefixes(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  prefixes: readonly string[],
): Promise<readonly string[]> {
  const removal = setOf(parsePrefixes(prefixes));
  return withRetries(ctx, 'remove subnet pool prefixes', async () => {
    const current = await readForWrite(ctx, actor, id, 'remove_prefixes');
    const held = setOf(parsePrefixes(current.prefixes));
    if (!intersects(held, removal)) return current.prefixes;
    const subnets = await ctx.store.list('subnet', { index: { name: 'subnetPool', value: id } });
    const allocated = setOf(parsePrefixes(subnets.items.map((s) => s.cidr)));
    if (intersects(allocated, removal)) {
      throw badRequest(
        'IllegalSubnetPoolPrefixUpdate',
        'Illegal update to prefixes: One or more the prefixes to be removed is in use by a subnet.',
      );
    }
    const next = touch(ctx, {
      ...current,
      prefixes: prefixesOf(difference(held, removal)).map(formatPrefix),
    });
    const result = await ctx.store.commit([
      { kind: 'update', table: 'subnet_pool', object: next },
      {
        kind: 'checkNoneJoined',
        table: 'subnet',
        index: { name: 'subnetPool', value: id },
        since: subnets.revision,
      },
    ]);
    ctx.stats.commits++;
    return (result.written[0] as SubnetPool).prefixes;
  });
}
