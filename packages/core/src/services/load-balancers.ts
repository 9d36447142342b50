// Load balancers with Octavia's semantics, realised by Weir's own data plane (no amphorae): the
// graph load balancer → listeners → pools → members, one health monitor per pool. This file holds
// the load balancer itself (its VIP, and deletes with or without cascade); the children live in
// ./lb/ and are re-exported here.
//
// The VIP is placed in exactly one way, with Octavia's precedence: an existing port (vip_port_id),
// else a new port on a network (vip_network_id, optionally narrowed by vip_subnet_id), else a new
// port on a subnet. A new VIP port is made before the load balancer's commit (IPAM lives in
// createPort) and deleted again if that commit fails, as routers.ts does with its ports.
//
// A cascade delete removes everything under the load balancer and the VIP port in ONE commit.
// Every child create CAS-updates its parent (listener and pool → load balancer; member and monitor
// → pool), and the delete deletes each object at the version it read, so a child created after the
// delete read the graph makes the commit fail and the retry sees it: nothing is left dangling.
import type { LoadBalancer, LogicalPort, Subnet } from '@weir/model';
import { WeirError } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import { canonicalIp, parseIp, parsePrefix, prefixContains } from '../addr.js';
import type { Actor, CoreContext } from '../context.js';
import { forbidden } from '../errors.js';
import { baseFields, isVisible, touch, type BaseInput } from '../objects.js';
import { checkQuota } from '../quota.js';
import { withRetries } from '../retry.js';
import {
  byCreation,
  commitFor,
  invalidField,
  invalidSubresource,
  operatingStatus,
  readLbObject,
  subnetSeenBy,
  validationFailure,
} from './lb/common.js';
import { listenerDeleteOps } from './lb/listeners.js';
import { poolChildren, poolDeleteOps } from './lb/pools.js';
import { disassociateFloatingIpOps } from './fip-disassociate.js';
import { createPort, deletePort, portDeleteOps } from './ports.js';

export { listenerPortNamespace, memberNamespace, monitorNamespace } from './lb/common.js';
export * from './lb/listeners.js';
export * from './lb/pools.js';
export * from './lb/members.js';
export * from './lb/member-batch.js';
export * from './lb/health-monitors.js';
export * from './lb/status-tree.js';

/** Octavia's device_owner for the ports it makes. */
export const LB_VIP_OWNER = 'Octavia';
export const vipDeviceId = (loadBalancerId: string): string => `lb-${loadBalancerId}`;
/** Octavia's name for a VIP port it made (and so deletes with the load balancer). */
export const vipPortName = (loadBalancerId: string): string => `octavia-lb-${loadBalancerId}`;

export interface LoadBalancerInput extends BaseInput {
  readonly vipPortId?: string;
  readonly vipNetworkId?: string;
  readonly vipSubnetId?: string;
  readonly vipAddress?: string;
  readonly adminStateUp?: boolean;
  /** Only 'weir' (the default) is enabled. */
  readonly provider?: string;
  readonly projectId?: string;
}

export interface LoadBalancerPatch extends BaseInput {
  readonly adminStateUp?: boolean;
}

interface Placement {
  readonly networkId: string;
  readonly subnetId: string;
}

function vipRequired(): WeirError {
  return new WeirError(
    'WEIR_CORE_BAD_REQUEST',
    'Validation failure: VIP must contain one of: vip_port_id, vip_network_id, vip_subnet_id.',
    [],
    'VIPValidationException',
  );
}

async function visibleSubnet(ctx: CoreContext, actor: Actor, id: string): Promise<Subnet> {
  const subnet = await subnetSeenBy(ctx, actor, id);
  if (!subnet) throw invalidSubresource('Subnet', id);
  return subnet;
}

/** Where a new VIP port goes (Octavia's _validate_network_and_fill_or_validate_subnet). */
async function placeNewVip(
  ctx: CoreContext,
  actor: Actor,
  input: LoadBalancerInput,
  address: string | undefined,
): Promise<Placement> {
  if (input.vipNetworkId === undefined) {
    if (input.vipSubnetId === undefined) throw vipRequired();
    const subnet = await visibleSubnet(ctx, actor, input.vipSubnetId);
    return { networkId: subnet.networkId, subnetId: subnet.id };
  }
  const network = await ctx.store.get('logical_switch', input.vipNetworkId);
  if (!network || !isVisible(actor, network, 'logical_switch'))
    throw invalidSubresource('Network', input.vipNetworkId);
  const subnets = byCreation(
    (await ctx.store.list('subnet', { index: { name: 'network', value: network.id } })).items,
  );
  let subnet: Subnet | undefined;
  if (input.vipSubnetId !== undefined) {
    subnet = subnets.find((s) => s.id === input.vipSubnetId);
    if (!subnet) throw invalidSubresource('Subnet', input.vipSubnetId);
  } else if (address !== undefined) {
    const ip = parseIp(address);
    subnet = subnets.find((s) => {
      const p = parsePrefix(s.cidr);
      return p !== undefined && ip !== undefined && prefixContains(p, ip);
    });
    if (!subnet)
      throw validationFailure('Supplied network does not contain a subnet for VIP address specified.');
  } else {
    // Octavia prefers IPv4.
    subnet = subnets.find((s) => s.ipVersion === 4) ?? subnets[0];
    if (!subnet) throw validationFailure('Supplied network does not contain a subnet.');
  }
  return { networkId: network.id, subnetId: subnet.id };
}

/** An existing port as the VIP (Octavia's _validate_port_and_fill_or_validate_subnet). */
async function readVipPort(
  ctx: CoreContext,
  actor: Actor,
  input: LoadBalancerInput & { vipPortId: string },
  address: string | undefined,
): Promise<{ port: LogicalPort; subnetId: string; address: string }> {
  const port = await ctx.store.get('logical_port', input.vipPortId);
  if (!port || !(actor.admin || port.topic === actor.projectId))
    throw invalidSubresource('Port', input.vipPortId);
  // The device id is what marks a port as taken, by a VM, a router or another load balancer.
  if (port.deviceId !== '')
    throw validationFailure(`Port ${port.id} is already used by device ${port.deviceId}`);
  if (input.vipNetworkId !== undefined && input.vipNetworkId !== port.networkId)
    throw validationFailure(`VIP port ${port.id} is not on network ${input.vipNetworkId}.`);
  if (input.vipSubnetId !== undefined) {
    await visibleSubnet(ctx, actor, input.vipSubnetId);
    const fixed = port.fixedIps.find(
      (f) => f.subnetId === input.vipSubnetId && (address === undefined || f.ipAddress === address),
    );
    if (!fixed)
      throw validationFailure('No VIP address found on the specified VIP port within the specified subnet.');
    return { port, subnetId: fixed.subnetId, address: fixed.ipAddress };
  }
  if (address !== undefined) {
    const fixed = port.fixedIps.find((f) => f.ipAddress === address);
    if (!fixed) throw validationFailure('Specified VIP address not found on the specified VIP port.');
    return { port, subnetId: fixed.subnetId, address: fixed.ipAddress };
  }
  const [only, ...more] = port.fixedIps;
  if (!only || more.length > 0) {
    throw validationFailure(
      "VIP port's subnet could not be determined. Please specify either a VIP subnet or address.",
    );
  }
  return { port, subnetId: only.subnetId, address: only.ipAddress };
}

function loadBalancerObject(
  base: Awaited<ReturnType<typeof baseFields>>,
  input: LoadBalancerInput,
  vip: { port: LogicalPort; subnetId: string; address: string },
): LoadBalancer {
  const adminStateUp = input.adminStateUp ?? true;
  return {
    ...base,
    vipNetworkId: vip.port.networkId,
    vipSubnetId: vip.subnetId,
    vipPortId: vip.port.id,
    vipAddress: vip.address,
    provider: input.provider ?? 'weir',
    adminStateUp,
    provisioningStatus: 'ACTIVE',
    operatingStatus: operatingStatus(adminStateUp),
  };
}

export async function createLoadBalancer(
  ctx: CoreContext,
  actor: Actor,
  input: LoadBalancerInput,
): Promise<LoadBalancer> {
  const topic = input.projectId ?? actor.projectId;
  if (!actor.admin && topic !== actor.projectId)
    throw forbidden('Policy does not allow this request to be performed.');
  const provider = input.provider ?? 'weir';
  if (provider !== 'weir')
    throw new WeirError(
      'WEIR_CORE_BAD_REQUEST',
      `Provider '${provider}' is not enabled.`,
      [],
      'ProviderNotEnabled',
    );
  const address = input.vipAddress === undefined ? undefined : canonicalIp(input.vipAddress);
  if (input.vipAddress !== undefined && address === undefined)
    throw invalidField('vip_address', input.vipAddress, 'Value should be IPv4 or IPv6 format');
  if (input.vipPortId === undefined && input.vipNetworkId === undefined && input.vipSubnetId === undefined)
    throw vipRequired();
  await checkQuota(ctx, topic, 'loadbalancer', 'load_balancer');
  const base = await baseFields(ctx, 'load_balancer', topic, input);
  const { vipPortId } = input;
  if (vipPortId !== undefined) {
    return withRetries(ctx, 'create load balancer', async () => {
      const vip = await readVipPort(ctx, actor, { ...input, vipPortId }, address);
      const port = touch(ctx, { ...vip.port, deviceOwner: LB_VIP_OWNER, deviceId: vipDeviceId(base.id) });
      return commitFor<LoadBalancer>(
        ctx,
        [
          { kind: 'update', table: 'logical_port', object: port },
          { kind: 'create', table: 'load_balancer', object: loadBalancerObject(base, input, vip) },
        ],
        base.id,
      );
    });
  }
  const placement = await placeNewVip(ctx, actor, input, address);
  // The caller's rights were checked above; the port itself is the service's to make.
  const service = { ...actor, admin: true };
  const port = await createPort(ctx, service, {
    networkId: placement.networkId,
    fixedIps: [{ subnetId: placement.subnetId, ...(address === undefined ? {} : { ipAddress: address }) }],
    deviceOwner: LB_VIP_OWNER,
    deviceId: vipDeviceId(base.id),
    name: vipPortName(base.id),
    // Weir's data plane answers for the VIP itself; no tenant default group belongs on it.
    securityGroups: [],
    projectId: topic,
  });
  try {
    return await withRetries(ctx, 'create load balancer', async () => {
      const current = await ctx.store.get('logical_port', port.id);
      const fixed = current?.fixedIps.find((f) => f.subnetId === placement.subnetId);
      if (!current || !fixed) throw invalidSubresource('Port', port.id);
      const vip = { port: current, subnetId: fixed.subnetId, address: fixed.ipAddress };
      return commitFor<LoadBalancer>(
        ctx,
        [
          { kind: 'check', table: 'logical_port', id: current.id, version: current.version },
          { kind: 'create', table: 'load_balancer', object: loadBalancerObject(base, input, vip) },
        ],
        base.id,
      );
    });
  } catch (error) {
    // The load balancer and its VIP port appear together or not at all.
    await deletePort(ctx, service, port.id, { internal: true }).catch(() => undefined);
    throw error;
  }
}

export async function updateLoadBalancer(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  patch: LoadBalancerPatch,
): Promise<LoadBalancer> {
  return withRetries(ctx, 'update load balancer', async () => {
    const current = await readLbObject(ctx, actor, 'load_balancer', id);
    const adminStateUp = patch.adminStateUp ?? current.adminStateUp;
    const next: LoadBalancer = touch(ctx, {
      ...current,
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.description === undefined ? {} : { description: patch.description }),
      ...(patch.tags === undefined ? {} : { tags: [...patch.tags] }),
      adminStateUp,
      operatingStatus: operatingStatus(adminStateUp),
    });
    return commitFor<LoadBalancer>(ctx, [{ kind: 'update', table: 'load_balancer', object: next }], id);
  });
}

/**
 * What becomes of the VIP port: a port Octavia made goes (its floating IPs are disassociated, as a
 * port delete does); a port the user brought is handed back to them.
 */
async function vipOps(ctx: CoreContext, lb: LoadBalancer): Promise<WriteOp[]> {
  const port = await ctx.store.get('logical_port', lb.vipPortId);
  if (!port || port.deviceId !== vipDeviceId(lb.id)) return [];
  if (port.deviceOwner !== LB_VIP_OWNER || port.name !== vipPortName(lb.id))
    return [
      {
        kind: 'update',
        table: 'logical_port',
        object: touch(ctx, { ...port, deviceOwner: '', deviceId: '' }),
      },
    ];
  return [...portDeleteOps(port), ...(await disassociateFloatingIpOps(ctx, port.id))];
}

/**
 * Octavia refuses to delete a load balancer with listeners or pools unless asked to cascade; with
 * `cascade`, everything under it and its VIP port go in one commit.
 */
export async function deleteLoadBalancer(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  options: { cascade?: boolean } = {},
): Promise<void> {
  await withRetries(ctx, 'delete load balancer', async () => {
    const lb = await readLbObject(ctx, actor, 'load_balancer', id);
    const byLb = { index: { name: 'loadBalancer', value: id } };
    const listeners = (await ctx.store.list('listener', byLb)).items;
    const pools = (await ctx.store.list('pool', byLb)).items;
    if ((listeners.length > 0 || pools.length > 0) && options.cascade !== true)
      throw validationFailure(`Cannot delete Load Balancer ${id} - it has children`);
    const ops: WriteOp[] = listeners.flatMap(listenerDeleteOps);
    for (const pool of pools) ops.push(...poolDeleteOps(pool, await poolChildren(ctx, pool)));
    ops.push({ kind: 'delete', table: 'load_balancer', id, expectedVersion: lb.version });
    ops.push(...(await vipOps(ctx, lb)));
    await ctx.store.commit(ops);
    ctx.stats.commits++;
  });
}
