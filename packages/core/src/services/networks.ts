// Networks (logical switches) with Neutron's semantics: provider attributes for admins only,
// segmentation ids unique per type (claims), delete refused while ports exist (atomic with the
// delete, via checkEmpty), subnets deleted with their network.
import type { LogicalSwitch, NetworkTypeT } from '@weir/model';
import { isWeirError } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import type { Actor, CoreContext } from '../context.js';
import { badRequest, forbidden, inUse } from '../errors.js';
import { baseFields, readOwned, touch, type BaseInput } from '../objects.js';
import { checkQuota } from '../quota.js';
import { failedOp, withRetries } from '../retry.js';
import { chooseSegment, segmentInUse, segmentNamespace } from '../segments.js';
import { deleteFloatingIpsOf, disassociatedFloatingIps } from './floating-ips.js';
import { releaseFromPool } from './subnet-allocation.js';

export interface NetworkInput extends BaseInput {
  readonly adminStateUp?: boolean;
  readonly shared?: boolean;
  readonly external?: boolean;
  readonly mtu?: number;
  readonly portSecurityEnabled?: boolean;
  readonly networkType?: NetworkTypeT;
  readonly physicalNetwork?: string;
  readonly segmentationId?: number;
  readonly availabilityZoneHints?: readonly string[];
  /** Admins may create on behalf of another project. */
  readonly projectId?: string;
}

export type NetworkPatch = Omit<
  NetworkInput,
  'networkType' | 'physicalNetwork' | 'segmentationId' | 'projectId'
>;

function requireAdminFor(actor: Actor, input: NetworkInput | NetworkPatch): void {
  if (actor.admin) return;
  const provider = 'networkType' in input || 'physicalNetwork' in input || 'segmentationId' in input;
  if (provider) throw forbidden('(rule:create_network:provider:network_type) is disallowed by policy');
  if (input.shared === true) throw forbidden('(rule:create_network:shared) is disallowed by policy');
  if (input.external !== undefined)
    throw forbidden('(rule:create_network:router:external) is disallowed by policy');
  if ('projectId' in input && input.projectId !== undefined && input.projectId !== actor.projectId) {
    throw forbidden('(rule:create_network) is disallowed by policy: tenant_id');
  }
}

export async function createNetwork(
  ctx: CoreContext,
  actor: Actor,
  input: NetworkInput,
): Promise<LogicalSwitch> {
  requireAdminFor(actor, input);
  const topic = input.projectId ?? actor.projectId;
  const type = input.networkType ?? ctx.config.tenantNetworkType;
  const overlay = type === 'geneve' || type === 'vxlan';
  const mtu = input.mtu ?? (overlay ? ctx.config.overlayMtu : 1500);
  if (overlay && mtu > ctx.config.overlayMtu) {
    throw badRequest(
      'InvalidInput',
      `Invalid input for operation: Requested MTU is too big, maximum is ${ctx.config.overlayMtu}.`,
    );
  }
  await checkQuota(ctx, topic, 'network', 'logical_switch');
  const explicitSegment = input.segmentationId !== undefined || type === 'flat';
  return withRetries(ctx, 'create network', async () => {
    const segment = chooseSegment(ctx, type, input.physicalNetwork, input.segmentationId);
    const base = await baseFields(ctx, 'logical_switch', topic, input);
    const network: LogicalSwitch = {
      ...base,
      networkType: type,
      ...(segment.segmentationId === undefined ? {} : { segmentationId: segment.segmentationId }),
      ...(input.physicalNetwork === undefined ? {} : { physicalNetwork: input.physicalNetwork }),
      mtu,
      external: input.external ?? false,
      shared: input.shared ?? false,
      portSecurityEnabled: input.portSecurityEnabled ?? true,
      adminStateUp: input.adminStateUp ?? true,
      status: 'ACTIVE',
      availabilityZoneHints: [...(input.availabilityZoneHints ?? [])],
    };
    const ops: WriteOp[] = [];
    if (segment.namespace && segment.key)
      ops.push({ kind: 'claim', namespace: segment.namespace, key: segment.key, owner: network.id });
    ops.push({ kind: 'create', table: 'logical_switch', object: network });
    try {
      const result = await ctx.store.commit(ops);
      ctx.stats.commits++;
      return result.written[0] as LogicalSwitch;
    } catch (error) {
      // An explicitly requested segment that is taken is the caller's conflict, not a race.
      if (explicitSegment && isWeirError(error, 'WEIR_STORE_CLAIMED') && (failedOp(error) ?? 0) === 0) {
        throw segmentInUse(type, segment.segmentationId, input.physicalNetwork);
      }
      throw error;
    }
  });
}

export async function updateNetwork(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  patch: NetworkPatch,
  options: { ifMatchVersion?: number } = {},
): Promise<LogicalSwitch> {
  requireAdminFor(actor, patch);
  return withRetries(ctx, 'update network', async () => {
    const current = await readOwned(ctx, actor, 'logical_switch', 'network', id);
    if (options.ifMatchVersion !== undefined && current.version !== options.ifMatchVersion) {
      throw badRequest(
        'RevisionNumberConstraintFailed',
        `Constrained to ${options.ifMatchVersion}, but current revision is ${current.version}`,
      );
    }
    const next: LogicalSwitch = touch(ctx, {
      ...current,
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.description === undefined ? {} : { description: patch.description }),
      ...(patch.tags === undefined ? {} : { tags: [...patch.tags] }),
      ...(patch.adminStateUp === undefined ? {} : { adminStateUp: patch.adminStateUp }),
      ...(patch.shared === undefined ? {} : { shared: patch.shared }),
      ...(patch.external === undefined ? {} : { external: patch.external }),
      ...(patch.mtu === undefined ? {} : { mtu: patch.mtu }),
      ...(patch.portSecurityEnabled === undefined ? {} : { portSecurityEnabled: patch.portSecurityEnabled }),
    });
    const ops: WriteOp[] = [{ kind: 'update', table: 'logical_switch', object: next }];
    if (current.shared && patch.shared === false) {
      // Un-sharing is refused while other projects have ports on the network.
      const ports = await ctx.store.list('logical_port', { index: { name: 'network', value: id } });
      if (ports.items.some((p) => p.topic !== current.topic)) {
        throw inUse(
          'InvalidSharedSetting',
          `Unable to reconfigure sharing settings for network ${id}. Multiple tenants are using it.`,
        );
      }
    }
    const result = await ctx.store.commit(ops);
    ctx.stats.commits++;
    return result.written[0] as LogicalSwitch;
  });
}

export async function deleteNetwork(ctx: CoreContext, actor: Actor, id: string): Promise<void> {
  await withRetries(ctx, 'delete network', async () => {
    const network = await readOwned(ctx, actor, 'logical_switch', 'network', id);
    const ports = await ctx.store.count('logical_port', { index: { name: 'network', value: id } });
    if (ports > 0) {
      // Unassociated floating IPs go with their external network; only when they are all that
      // holds it, so that a delete that fails has changed nothing.
      const loose = network.external ? await disassociatedFloatingIps(ctx, id) : [];
      if (loose.length !== ports) {
        throw inUse(
          'NetworkInUse',
          `Unable to complete operation on network ${id}. There are one or more ports still in use on the network.`,
        );
      }
      await deleteFloatingIpsOf(ctx, actor, loose);
    }
    const subnets = await ctx.store.list('subnet', { index: { name: 'network', value: id } });
    const ops: WriteOp[] = [
      // Atomic with the delete: a port created meanwhile makes this commit fail (and the retry
      // then reports NetworkInUse). A subnet created meanwhile bumped the network's version.
      { kind: 'checkEmpty', table: 'logical_port', index: { name: 'network', value: id } },
      ...subnets.items.flatMap((s): WriteOp[] => [
        { kind: 'delete', table: 'subnet', id: s.id, expectedVersion: s.version },
        // Subnets allocated from a pool give their prefix back.
        ...releaseFromPool(s),
      ]),
      { kind: 'delete', table: 'logical_switch', id, expectedVersion: network.version },
    ];
    const namespace = segmentNamespace(network.networkType, network.physicalNetwork);
    const key =
      network.networkType === 'flat'
        ? 'flat'
        : network.segmentationId === undefined
          ? undefined
          : String(network.segmentationId);
    if (namespace && key) ops.push({ kind: 'release', namespace, key, owner: id });
    await ctx.store.commit(ops);
    ctx.stats.commits++;
  });
}
