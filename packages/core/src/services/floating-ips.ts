// Floating IPs: an address on an external network (held by a port with device_owner
// network:floatingip, so IPAM applies unchanged), optionally associated with a port's fixed IP
// that is reachable through a router whose gateway is on that external network.
import type { FloatingIp, LogicalPort } from '@weir/model';
import { WeirError } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import { parseIp } from '../addr.js';
import type { Actor, CoreContext } from '../context.js';
import { badRequest, conflict, forbidden } from '../errors.js';
import { baseFields, readOwned, readVisible, touch, type BaseInput } from '../objects.js';
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

/** Finds the router that connects the port's fixed IP to the floating IP's external network. */
async function resolveAssociation(
  ctx: CoreContext,
  actor: Actor,
  fip: { id: string; floatingNetworkId: string },
  portId: string,
  fixedIpAddress: string | undefined,
): Promise<Association> {
  const port: LogicalPort = await readOwned(ctx, actor, 'logical_port', 'port', portId);
  const v4 = port.fixedIps.filter((f) => parseIp(f.ipAddress)?.version === 4);
  let fixed = v4[0];
  if (fixedIpAddress !== undefined) {
    fixed = port.fixedIps.find((f) => f.ipAddress === fixedIpAddress);
    if (!fixed) {
      throw badRequest(
        'BadRequest',
        `Bad floatingip request: Port ${portId} does not have fixed ip ${fixedIpAddress}.`,
      );
    }
  } else if (v4.length > 1) {
    throw badRequest(
      'BadRequest',
      `Bad floatingip request: Port ${portId} has multiple fixed IPv4 addresses. Must provide a specific IPv4 address when assigning a floating IP.`,
    );
  }
  if (!fixed)
    throw badRequest(
      'BadRequest',
      `Bad floatingip request: Cannot add floating IP to port ${portId} that has no fixed IPv4 addresses.`,
    );
  const taken = await ctx.store.list('floating_ip', { index: { name: 'port', value: portId } });
  if (taken.items.some((f) => f.id !== fip.id && f.fixedIpAddress === fixed.ipAddress)) {
    throw conflict(
      'FloatingIPPortAlreadyAssociated',
      `Cannot associate floating IP with port ${portId} using fixed IP ${fixed.ipAddress}, as that fixed IP already has a floating IP on external network ${fip.floatingNetworkId}.`,
    );
  }
  // Routers with an interface on the fixed IP's subnet and a gateway on the external network.
  const interfaces = (
    await ctx.store.list('logical_port', { index: { name: 'subnet', value: fixed.subnetId } })
  ).items.filter((p) => p.deviceOwner === ROUTER_INTERFACE);
  for (const itf of interfaces) {
    const router = await ctx.store.get('router', itf.deviceId);
    if (router?.externalGateway?.networkId === fip.floatingNetworkId) {
      return { portId, fixedIpAddress: fixed.ipAddress, routerId: router.id };
    }
  }
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
  const network = await readVisible(ctx, actor, 'logical_switch', 'network', input.floatingNetworkId);
  if (!network.external) {
    throw badRequest(
      'BadRequest',
      `Bad floatingip request: Network ${network.id} is not a valid external network.`,
    );
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
            { id: base.id, floatingNetworkId: network.id },
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
  patch: { portId?: string | null; fixedIpAddress?: string; description?: string },
): Promise<FloatingIp> {
  return withRetries(ctx, 'update floating ip', async () => {
    const fip = await readOwned(ctx, actor, 'floating_ip', 'floatingip', id);
    const { portId: _p, fixedIpAddress: _f, routerId: _r, ...plain } = fip;
    let next: FloatingIp = touch(ctx, {
      ...plain,
      ...(patch.description === undefined ? {} : { description: patch.description }),
      status: 'DOWN',
    });
    const ops: WriteOp[] = [];
    if (patch.portId === undefined) {
      next = touch(ctx, {
        ...fip,
        ...(patch.description === undefined ? {} : { description: patch.description }),
      });
    } else if (patch.portId !== null) {
      const assoc = await resolveAssociation(ctx, actor, fip, patch.portId, patch.fixedIpAddress);
      next = {
        ...next,
        portId: assoc.portId,
        fixedIpAddress: assoc.fixedIpAddress,
        routerId: assoc.routerId,
        status: 'ACTIVE',
      };
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
    return result.written[0] as FloatingIp;
  });
}

export async function deleteFloatingIp(ctx: CoreContext, actor: Actor, id: string): Promise<void> {
  await withRetries(ctx, 'delete floating ip', async () => {
    const fip = await readOwned(ctx, actor, 'floating_ip', 'floatingip', id);
    const ops: WriteOp[] = [{ kind: 'delete', table: 'floating_ip', id, expectedVersion: fip.version }];
    const port = await ctx.store.get('logical_port', fip.floatingPortId);
    if (port) ops.push(...portDeleteOps(port));
    await ctx.store.commit(ops);
    ctx.stats.commits++;
  });
}
