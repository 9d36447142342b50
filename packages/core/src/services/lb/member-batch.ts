// Octavia's batch member update (`PUT /v2/lbaas/pools/{pool_id}/members`): the request is the
// pool's whole member set. A member is known by its (address, protocol_port): one in the request
// and in the pool is updated, one only in the request is created, one only in the pool is deleted
// (unless `additiveOnly`). An updated member takes the request's values with Octavia's defaults for
// what the request leaves out (weight 1, not backup, enabled, no monitor endpoint), because Octavia
// reads each entry as a complete member; name and tags stay unless given.
//
// Everything happens in ONE commit that also CAS-updates the pool, so a concurrent member create
// or pool delete makes it retry (and see the new state) instead of interleaving.
import type { Member } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import type { Actor, CoreContext } from '../../context.js';
import { baseFields, touch } from '../../objects.js';
import { checkQuota } from '../../quota.js';
import { withRetries } from '../../retry.js';
import {
  lbConflict,
  memberKey,
  memberNamespace,
  memberStatus,
  readLbObject,
  validationFailure,
} from './common.js';
import { checkMemberInput, checkSubnet, memberObject, type MemberInput } from './member-checks.js';

export interface MemberBatchResult {
  readonly created: readonly Member[];
  readonly updated: readonly Member[];
  readonly deleted: readonly Member[];
}

/** The updated member: the request's values, Octavia's defaults for the rest, name and tags kept. */
function updatedMember(ctx: CoreContext, current: Member, input: MemberInput, monitored: boolean): Member {
  const { monitorAddress: _a, monitorPort: _p, ...rest } = current;
  const adminStateUp = input.adminStateUp ?? true;
  return touch(ctx, {
    ...rest,
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.tags === undefined ? {} : { tags: [...input.tags] }),
    weight: input.weight ?? 1,
    backup: input.backup ?? false,
    adminStateUp,
    operatingStatus: memberStatus(adminStateUp, monitored),
    ...(input.monitorAddress === undefined ? {} : { monitorAddress: input.monitorAddress }),
    ...(input.monitorPort === undefined ? {} : { monitorPort: input.monitorPort }),
  });
}

export async function batchUpdateMembers(
  ctx: CoreContext,
  actor: Actor,
  poolId: string,
  inputs: readonly MemberInput[],
  options: { additiveOnly?: boolean } = {},
): Promise<MemberBatchResult> {
  const checked = inputs.map(checkMemberInput);
  const pool = await readLbObject(ctx, actor, 'pool', poolId);
  return withRetries(ctx, 'batch update members', async () => {
    const current = await readLbObject(ctx, actor, 'pool', poolId);
    const monitored = current.healthMonitorId !== undefined;
    const existing = (await ctx.store.list('member', { index: { name: 'pool', value: poolId } })).items;
    const byKey = new Map(existing.map((m) => [memberKey(m.address, m.protocolPort), m]));
    const wanted = new Map<string, MemberInput>();
    for (const input of checked) {
      const key = memberKey(input.address, input.protocolPort);
      if (wanted.has(key)) {
        // Octavia: a second update of one member is refused, a second create hits the unique key.
        if (byKey.has(key)) throw validationFailure('Member must be updated only once in the same request.');
        throw lbConflict(
          'DuplicateMemberEntry',
          `Another member on this pool is already using ip ${input.address} on protocol_port ${input.protocolPort}`,
        );
      }
      wanted.set(key, input);
    }
    const toCreate = [...wanted].filter(([key]) => !byKey.has(key)).map(([, input]) => input);
    const toUpdate = existing.filter((m) => wanted.has(memberKey(m.address, m.protocolPort)));
    const toDelete =
      options.additiveOnly === true
        ? []
        : existing.filter((m) => !wanted.has(memberKey(m.address, m.protocolPort)));
    if (toCreate.length === 0 && toUpdate.length === 0 && toDelete.length === 0)
      return { created: [], updated: [], deleted: [] };
    const growth = toCreate.length - toDelete.length;
    if (growth > 0) await checkQuota(ctx, pool.topic, 'member', 'member', growth);
    for (const input of toCreate)
      if (input.subnetId !== undefined) await checkSubnet(ctx, actor, input.subnetId, input.address);
    const ops: WriteOp[] = [{ kind: 'update', table: 'pool', object: touch(ctx, current) }];
    for (const m of toDelete) {
      ops.push(
        { kind: 'delete', table: 'member', id: m.id, expectedVersion: m.version },
        {
          kind: 'release',
          namespace: memberNamespace(poolId),
          key: memberKey(m.address, m.protocolPort),
          owner: m.id,
        },
      );
    }
    const updated = toUpdate.map((m) =>
      updatedMember(ctx, m, wanted.get(memberKey(m.address, m.protocolPort)) as MemberInput, monitored),
    );
    for (const m of updated) ops.push({ kind: 'update', table: 'member', object: m });
    const created: Member[] = [];
    for (const input of toCreate) {
      const member = memberObject(
        await baseFields(ctx, 'member', pool.topic, input),
        poolId,
        input,
        monitored,
      );
      created.push(member);
      ops.push(
        {
          kind: 'claim',
          namespace: memberNamespace(poolId),
          key: memberKey(member.address, member.protocolPort),
          owner: member.id,
        },
        { kind: 'create', table: 'member', object: member },
      );
    }
    const result = await ctx.store.commit(ops);
    ctx.stats.commits++;
    const written = new Map(result.written.map((o) => [o.id, o as Member]));
    const fresh = (m: Member): Member => written.get(m.id) ?? m;
    return { created: created.map(fresh), updated: updated.map(fresh), deleted: toDelete };
  });
}
