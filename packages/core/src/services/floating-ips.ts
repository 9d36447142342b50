// Floating IPs: an address on an external network (held by a port with device_owner
// network:floatingip, so IPAM applies unchanged), optionally associated with a port's fixed IP
// that is reachable through a router whose gateway is on that external network.
import type { FloatingIp, LogicalPort } from '@weir/model';
import { isWeirError, WeirError } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import { parseIp } from '../addr.js';
import type { Actor, CoreContext } from '../context.js';
import { badRequest, conflict, forbidden } from '../errors.js';
import {
  baseFields,
  checkRevision,
  readOwned,
  readVisible,
  touch,
  type BaseInput,
  type IfMatchOption,
} from '../objects.js';
import { checkQuota } from '../quota.js';
import { withRetries } from '../retry.js';
import { createPort, deletePort, portDeleteOps } from './ports.js';
import { ROUTER_INTERFACE } from './routers.js';

export const FLOATING_IP_OWNER = 'network:floatingip';

export interface FloatingIpInput extends BaseInput {
  readonly floatingNetworkId: string;
  readonly floatingIpAddress?: string;
  readonly subnetId?: string;
  readonly portId?: string | null;
  readonly fixedIpAddress?: string;
  readonly projectId?: string;
}

interface Association {
  readonly portId: string;
  readonly fixedIpAddress: string;
  readonly routerId: string;
}

export interface FloatingIpPatch {
  /** null disassociates; absent keeps the association. */
  readonly portId?: string | null;
  readonly fixedIpAddress?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
}

function badFip(message: string): Error {
  return badRequest('BadRequest', `Bad floatingip request: ${message}.`);
}

/**
 * The port's fixed IP the floating IP maps to and the router that connects it to the floating
 * IP's external network (Neutron's _internal_fip_assoc_data and get_router_for_floatingip).
 */
async function resolveAssociation(
  ctx: CoreContext,
  actor: Actor,
  fip: { id: string; floatingNetworkId: string; floatingIpAddress: string },
  portId: string,
  fixedIpAddress: string | undefined,
): Promise<Association> {
  const port: LogicalPort = await readOwned(ctx, actor, 'logical_port', 'port', portId);
  // Ports of network services (routers, DHCP, other floating IPs) take no floating IP.
  if (port.deviceOwner.startsWith('network:')) {
    throw badFip(`Port ${portId} is unable to be assigned a floating IP`);
  }
  let fixed: LogicalPort['fixedIps'][number] | undefined;
  if (fixedIpAddress !== undefined) {
    if (parseIp(fixedIpAddress)?.version !== 4) {
      throw badFip(
        `Cannot process floating IP association with ${fixedIpAddress}, since that is not an IPv4 address`,
      );
    }
    fixed = port.fixedIps.find((f) => f.ipAddress === fixedIpAddress);
    if (!fixed) throw badFip(`Port ${portId} does not have fixed ip ${fixedIpAddress}`);
  } else {
    const v4 = port.fixedIps.filter((f) => parseIp(f.ipAddress)?.version === 4);
    fixed = v4[0];
    if (!fixed) throw badFip(`Cannot add floating IP to port ${portId} that has no fixed IPv4 addresses`);
    if (v4.length > 1) {
      throw badFip(
        `Port ${portId} has multiple fixed IPv4 addresses.  Must provide a specific IPv4 address when assigning a floating IP`,
      );
    }
  }
  const address = fixed.ipAddress;
  const taken = await ctx.store.list('floating_ip', { index: { name: 'port', value: portId } });
  if (taken.items.some((f) => f.id !== fip.id && f.fixedIpAddress === address)) {
    throw conflict(
      'FloatingIPPortAlreadyAssociated',
      `Cannot associate floating IP ${fip.floatingIpAddress} (${fip.id}) with port ${portId} using fixed IP ${address}, as that fixed IP already has a floating IP on external network ${fip.floatingNetworkId}.`,
    );
  }
  // Routers with an interface on the fixed IP's subnet and a gateway on the external network;
  // the one whose interface is the subnet's gateway wins, as in Neutron.
  const subnet = await ctx.store.get('subnet', fixed.subnetId);
  const interfaces = (
    await ctx.store.list('logical_port', { index: { name: 'subnet', value: fixed.subnetId } })
  ).items.filter((p) => p.deviceOwner === ROUTER_INTERFACE);
  let first: string | undefined;
  for (const itf of interfaces) {
    const router = await ctx.store.get('router', itf.deviceId);
    if (router?.externalGateway?.networkId !== fip.floatingNetworkId) continue;
    const itfAddress = itf.fixedIps.find((f) => f.subnetId === fixed.subnetId)?.ipAddress;
    if (subnet && itfAddress === subnet.gatewayIp)
      return { portId, fixedIpAddress: address, routerId: router.id };
    first ??= router.id;
  }
  if (first !== undefined) return { portId, fixedIpAddress: address, routerId: first };
  throw new WeirError(
    'WEIR_CORE_NOT_FOUND',
    `External network ${fip.floatingNetworkId} is not reachable from subnet ${fixed.subnetId}.  Therefore, cannot associate Port ${portId} with a Floating IP.`,
    [],
    'ExternalGatewayForFloatingIPNotFound',
  );
}

export async function createFloatingIp(
  ctx: CoreContext,
  actor: Actor,
  input: FloatingIpInput,
): Promise<FloatingIp> {
  const topic = input.projectId ?? actor.projectId;
  if (!actor.admin && topic !== actor.projectId)
    throw forbidden('(rule:create_floatingip) is disallowed by policy');
  if (input.floatingIpAddress !== undefined && !actor.admin) {
    throw forbidden('(rule:create_floatingip:floating_ip_address) is disallowed by policy');
  }
  if (input.fixedIpAddress !== undefined && !input.portId) {
    throw badFip('fixed_ip_address cannot be specified without a port_id');
  }
  const network = await readVisible(ctx, actor, 'logical_switch', 'network', input.floatingNetworkId);
  if (!network.external) throw badFip(`Network ${network.id} is not a valid external network`);
  const subnets = await ctx.store.list('subnet', { index: { name: 'network', value: network.id } });
  if (!subnets.items.some((sn) => sn.ipVersion === 4)) {
    throw badFip(`Network ${network.id} does not contain any IPv4 subnet`);
  }
  await checkQuota(ctx, topic, 'floatingip', 'floating_ip');
  const base = await baseFields(ctx, 'floating_ip', topic, input);
  const fixedIps =
    input.floatingIpAddress !== undefined || input.subnetId !== undefined
      ? [
          {
            ...(input.subnetId === undefined ? {} : { subnetId: input.subnetId }),
            ...(input.floatingIpAddress === undefined ? {} : { ipAddress: input.floatingIpAddress }),
          },
        ]
      : undefined;
  const port = await createPort(
    ctx,
    { ...actor, admin: true },
    {
      networkId: network.id,
      deviceOwner: FLOATING_IP_OWNER,
      deviceId: base.id,
      portSecurityEnabled: false,
      projectId: topic,
      ...(fixedIps ? { fixedIps } : {}),
    },
  );
  const address = port.fixedIps.find((f) => parseIp(f.ipAddress)?.version === 4) ?? port.fixedIps[0];
  if (!address) {
    await deletePort(ctx, { ...actor, admin: true }, port.id, { internal: true });
    throw badRequest(
      'BadRequest',
      `Bad floatingip request: no address could be allocated on network ${network.id}.`,
    );
  }
  try {
    return await withRetries(ctx, 'create floating ip', async () => {
      const assoc = input.portId
        ? await resolveAssociation(
            ctx,
            actor,
            { id: base.id, floatingNetworkId: network.id, floatingIpAddress: address.ipAddress },
            input.portId,
            input.fixedIpAddress,
          )
        : undefined;
      const fip: FloatingIp = {
        ...base,
        floatingNetworkId: network.id,
        floatingIpAddress: address.ipAddress,
        floatingPortId: port.id,
        status: assoc ? 'ACTIVE' : 'DOWN',
        ...(assoc
          ? { portId: assoc.portId, fixedIpAddress: assoc.fixedIpAddress, routerId: assoc.routerId }
          : {}),
      };
      const ops: WriteOp[] = [{ kind: 'create', table: 'floating_ip', object: fip }];
      if (assoc)
        ops.push({
          kind: 'check',
          table: 'router',
          id: assoc.routerId,
          version: (await ctx.store.get('router', assoc.routerId))?.version ?? 'absent',
        });
      const result = await ctx.store.commit(ops);
      ctx.stats.commits++;
      return result.written[0] as FloatingIp;
    });
  } catch (error) {
    await deletePort(ctx, { ...actor, admin: true }, port.id, { internal: true }).catch(() => undefined);
    throw error;
  }
}

export async function updateFloatingIp(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  patch: FloatingIpPatch,
  options: IfMatchOption = {},
): Promise<FloatingIp> {
  if (patch.fixedIpAddress !== undefined && !patch.portId) {
    throw badFip('fixed_ip_address cannot be specified without a port_id');
  }
  return withRetries(ctx, 'update floating ip', async () => {
    const fip = await readOwned(ctx, actor, 'floating_ip', 'floatingip', id);
    checkRevision(fip, options);
    const { portId: _p, fixedIpAddress: _f, routerId: _r, ...plain } = fip;
    const own = {
      ...(patch.description === undefined ? {} : { description: patch.description }),
      ...(patch.tags === undefined ? {} : { tags: [...patch.tags] }),
    };
    let next: FloatingIp = touch(ctx, { ...fip, ...own });
    const ops: WriteOp[] = [];
    if (patch.portId === null) {
      next = touch(ctx, { ...plain, ...own, status: 'DOWN' });
    } else if (patch.portId !== undefined) {
      const assoc = await resolveAssociation(ctx, actor, fip, patch.portId, patch.fixedIpAddress);
      next = {
        ...next,
        portId: assoc.portId,
        fixedIpAddress: assoc.fixedIpAddress,
        routerId: assoc.routerId,
        status: 'ACTIVE',
      };
      // The router must still be the one read (its gateway and interfaces unchanged).
      ops.push({
        kind: 'check',
        table: 'router',
        id: assoc.routerId,
        version: (await ctx.store.get('router', assoc.routerId))?.version ?? 'absent',
      });
    }
    ops.push({ kind: 'update', table: 'floating_ip', object: next });
    const result = await ctx.store.commit(ops);
    ctx.stats.commits++;
    return result.written.find((o) => o.id === id) as FloatingIp;
  });
}

/**
 * An external network's floating IPs that no port uses: Neutron deletes them with the network
 * (its L3 plugin's before-delete handler); an associated one keeps the network in use.
 */
export async function disassociatedFloatingIps(ctx: CoreContext, networkId: string): Promise<FloatingIp[]> {
  const fips = await ctx.store.list('floating_ip', { index: { name: 'network', value: networkId } });
  return fips.items.filter((f) => f.portId === undefined);
}

/** Deletes floating IPs on behalf of a network's deletion; one deleted meanwhile is fine. */
export async function deleteFloatingIpsOf(
  ctx: CoreContext,
  actor: Actor,
  fips: readonly FloatingIp[],
): Promise<void> {
  const admin = { ...actor, admin: true };
  for (const fip of fips) {
    try {
      await deleteFloatingIp(ctx, admin, fip.id);
    } catch (error) {
      if (!isWeirError(error, 'WEIR_CORE_NOT_FOUND')) throw error;
    }
  }
}

export async function deleteFloatingIp(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  options: IfMatchOption = {},
): Promise<void> {
  await withRetries(ctx, 'delete floating ip', async () => {
    const fip = await readOwned(ctx, actor, 'floating_ip', 'floatingip', id);
    checkRevision(fip, options);
    const ops: WriteOp[] = [{ kind: 'delete', table: 'floating_ip', id, expectedVersion: fip.version }];
    const port = await ctx.store.get('logical_port', fip.floatingPortId);
    if (port) ops.push(...portDeleteOps(port));
    await ctx.store.commit(ops);
    ctx.stats.commits++;
  });
}
