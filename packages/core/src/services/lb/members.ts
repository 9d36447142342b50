// Members: the backends of a pool. One (address, protocol_port) per pool, held as a claim taken in
// the member's commit, so concurrent adds of one endpoint cannot both succeed. A member create
// CAS-updates its pool, so it sees the pool's monitor (its operating status depends on it) and
// cannot slip past a concurrent pool delete.
import type { Member } from '@weir/model';
import type { Actor, CoreContext } from '../../context.js';
import { baseFields, touch, type BaseInput } from '../../objects.js';
import { checkQuota } from '../../quota.js';
import { withRetries } from '../../retry.js';
import {
  checkInPool,
  checkInteger,
  commitFor,
  lbConflict,
  memberKey,
  memberNamespace,
  memberStatus,
  readLbObject,
} from './common.js';
import { checkMemberInput, checkSubnet, ipField, memberObject, type MemberInput } from './member-checks.js';

export type { MemberInput } from './member-checks.js';

export interface MemberPatch extends Omit<BaseInput, 'description'> {
  readonly weight?: number;
  readonly backup?: boolean;
  /** null: probe the member's own address again. */
  readonly monitorAddress?: string | null;
  /** null: probe the member's own port again. */
  readonly monitorPort?: number | null;
  readonly adminStateUp?: boolean;
}

export async function createMember(
  ctx: CoreContext,
  actor: Actor,
  poolId: string,
  input: MemberInput,
): Promise<Member> {
  const checked = checkMemberInput(input);
  const { address } = checked;
  const pool = await readLbObject(ctx, actor, 'pool', poolId);
  if (input.subnetId !== undefined) await checkSubnet(ctx, actor, input.subnetId, address);
  await checkQuota(ctx, pool.topic, 'member', 'member');
  const base = await baseFields(ctx, 'member', pool.topic, input);
  return withRetries(ctx, 'create member', async () => {
    const current = await readLbObject(ctx, actor, 'pool', poolId);
    const siblings = await ctx.store.list('member', { index: { name: 'pool', value: poolId } });
    if (siblings.items.some((m) => m.address === address && m.protocolPort === input.protocolPort)) {
      throw lbConflict(
        'DuplicateMemberEntry',
        `Another member on this pool is already using ip ${address} on protocol_port ${input.protocolPort}`,
      );
    }
    const member = memberObject(base, poolId, checked, current.healthMonitorId !== undefined);
    return commitFor<Member>(
      ctx,
      [
        { kind: 'update', table: 'pool', object: touch(ctx, current) },
        {
          kind: 'claim',
          namespace: memberNamespace(poolId),
          key: memberKey(address, member.protocolPort),
          owner: member.id,
        },
        { kind: 'create', table: 'member', object: member },
      ],
      member.id,
    );
  });
}

export async function updateMember(
  ctx: CoreContext,
  actor: Actor,
  poolId: string,
  id: string,
  patch: MemberPatch,
): Promise<Member> {
  if (patch.weight !== undefined) checkInteger('weight', patch.weight, 0, 256);
  const monitorAddress =
    typeof patch.monitorAddress === 'string'
      ? ipField('monitor_address', patch.monitorAddress)
      : patch.monitorAddress;
  if (typeof patch.monitorPort === 'number') checkInteger('monitor_port', patch.monitorPort, 1, 65535);
  return withRetries(ctx, 'update member', async () => {
    // The member first: a monitor added since changes it, so this CAS then fails and we re-read both.
    const current = checkInPool(await readLbObject(ctx, actor, 'member', id), poolId);
    const pool = await readLbObject(ctx, actor, 'pool', poolId);
    const { monitorAddress: oldAddress, monitorPort: oldPort, ...rest } = current;
    const address = monitorAddress === undefined ? oldAddress : (monitorAddress ?? undefined);
    const port = patch.monitorPort === undefined ? oldPort : (patch.monitorPort ?? undefined);
    const adminStateUp = patch.adminStateUp ?? current.adminStateUp;
    const next: Member = touch(ctx, {
      ...rest,
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.tags === undefined ? {} : { tags: [...patch.tags] }),
      ...(patch.weight === undefined ? {} : { weight: patch.weight }),
      ...(patch.backup === undefined ? {} : { backup: patch.backup }),
      ...(address === undefined ? {} : { monitorAddress: address }),
      ...(port === undefined ? {} : { monitorPort: port }),
      adminStateUp,
      operatingStatus: memberStatus(adminStateUp, pool.healthMonitorId !== undefined),
    });
    return commitFor<Member>(ctx, [{ kind: 'update', table: 'member', object: next }], id);
  });
}

export async function deleteMember(
  ctx: CoreContext,
  actor: Actor,
  poolId: string,
  id: string,
): Promise<void> {
  await withRetries(ctx, 'delete member', async () => {
    const member = checkInPool(await readLbObject(ctx, actor, 'member', id), poolId);
    await ctx.store.commit([
      { kind: 'delete', table: 'member', id, expectedVersion: member.version },
      {
        kind: 'release',
        namespace: memberNamespace(poolId),
        key: memberKey(member.address, member.protocolPort),
        owner: id,
      },
    ]);
    ctx.stats.commits++;
  });
}
