// Routers with Neutron's semantics: an external gateway is a port on an external network; an
// interface is a port with the subnet's gateway address (or an existing port); the subnets behind
// one router may not overlap; a router with interfaces or floating IPs cannot be deleted.
// Every interface or gateway change updates the router (CAS), so concurrent changes to one
// router are serialised and the overlap check cannot race.
import type { HostRouteT, LogicalPort, Router, Subnet } from '@weir/model';
import { WeirError } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import { formatIp, formatPrefix, parseIp, parsePrefix, prefixContains, prefixesOverlap } from '../addr.js';
import type { Actor, CoreContext } from '../context.js';
import { badRequest, conflict, forbidden, inUse, invalidInput } from '../errors.js';
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
import { createPort, deletePort, portDeleteOps, type PortInput } from './ports.js';

export const ROUTER_INTERFACE = 'network:router_interface';
export const ROUTER_GATEWAY = 'network:router_gateway';

export interface GatewayInput {
  readonly networkId: string;
  readonly enableSnat?: boolean;
  readonly externalFixedIps?: readonly { subnetId?: string; ipAddress?: string }[];
}

export interface RouterInput extends BaseInput {
  readonly adminStateUp?: boolean;
  readonly externalGateway?: GatewayInput | null;
  readonly distributed?: boolean;
  readonly projectId?: string;
}

export interface RouterPatch extends BaseInput {
  readonly adminStateUp?: boolean;
  /** null clears the gateway. */
  readonly externalGateway?: GatewayInput | null;
  readonly routes?: readonly HostRouteT[];
}

export interface InterfaceInfo {
  readonly id: string;
  readonly topic: string;
  readonly portId: string;
  readonly subnetId: string;
  readonly subnetIds: readonly string[];
  readonly networkId: string;
}

async function interfacePorts(ctx: CoreContext, routerId: string): Promise<LogicalPort[]> {
  const ports = await ctx.store.list('logical_port', { index: { name: 'device', value: routerId } });
  return ports.items.filter((p) => p.deviceOwner === ROUTER_INTERFACE);
}

async function routerSubnets(ctx: CoreContext, ports: readonly LogicalPort[]): Promise<Subnet[]> {
  const out: Subnet[] = [];
  for (const id of new Set(ports.flatMap((p) => p.fixedIps.map((f) => f.subnetId)))) {
    const s = await ctx.store.get('subnet', id);
    if (s) out.push(s);
  }
  return out;
}

async function gatewayPortInput(
  ctx: CoreContext,
  actor: Actor,
  router: { id: string; topic: string },
  gw: GatewayInput,
): Promise<PortInput> {
  const network = await readVisible(ctx, actor, 'logical_switch', 'network', gw.networkId);
  if (!network.external) {
    throw badRequest('BadRequest', `Bad router request: Network ${gw.networkId} is not an external network.`);
  }
  if (gw.externalFixedIps !== undefined && !actor.admin) {
    throw forbidden('(rule:create_router:external_gateway_info:external_fixed_ips) is disallowed by policy');
  }
  return {
    networkId: network.id,
    deviceOwner: ROUTER_GATEWAY,
    deviceId: router.id,
    portSecurityEnabled: false,
    projectId: router.topic,
    ...(gw.externalFixedIps === undefined ? {} : { fixedIps: gw.externalFixedIps }),
  };
}

export async function createRouter(ctx: CoreContext, actor: Actor, input: RouterInput): Promise<Router> {
  const topic = input.projectId ?? actor.projectId;
  if (!actor.admin && topic !== actor.projectId)
    throw forbidden('(rule:create_router) is disallowed by policy');
  if (input.distributed !== undefined && !actor.admin)
    throw forbidden('(rule:create_router:distributed) is disallowed by policy');
  await checkQuota(ctx, topic, 'router', 'router');
  const base = await baseFields(ctx, 'router', topic, input);
  const router: Router = {
    ...base,
    adminStateUp: input.adminStateUp ?? true,
    status: 'ACTIVE',
    routes: [],
    distributed: input.distributed ?? true,
  };
  const created = (await ctx.store.commit([{ kind: 'create', table: 'router', object: router }]))
    .written[0] as Router;
  ctx.stats.commits++;
  if (!input.externalGateway) return created;
  try {
    return await setGateway(ctx, actor, created.id, input.externalGateway);
  } catch (error) {
    // The router and its gateway appear together or not at all.
    await ctx.store.commit([{ kind: 'delete', table: 'router', id: created.id }]).catch(() => undefined);
    throw error;
  }
}

async function setGateway(
  ctx: CoreContext,
  actor: Actor,
  routerId: string,
  gw: GatewayInput | null,
): Promise<Router> {
  return withRetries(ctx, 'set router gateway', async () => {
    const router = await readOwned(ctx, actor, 'router', 'router', routerId);
    const old = router.externalGateway;
    if (gw && old && old.networkId === gw.networkId && gw.externalFixedIps === undefined) {
      // Same network: only SNAT may change; the gateway port stays.
      const next = touch(ctx, {
        ...router,
        externalGateway: { ...old, enableSnat: gw.enableSnat ?? old.enableSnat },
      });
      return (await ctx.store.commit([{ kind: 'update', table: 'router', object: next }]))
        .written[0] as Router;
    }
    if (!gw && old) {
      if ((await ctx.store.count('floating_ip', { index: { name: 'router', value: routerId } })) > 0) {
        throw inUse(
          'RouterExternalGatewayInUseByFloatingIp',
          `Gateway cannot be updated for router ${routerId}, since a gateway to external network ${old.networkId} is required by one or more floating IPs.`,
        );
      }
    }
    let gatewayPort: LogicalPort | undefined;
    if (gw)
      gatewayPort = await createPort(
        ctx,
        { ...actor, admin: true },
        await gatewayPortInput(ctx, actor, router, gw),
      );
    const ops: WriteOp[] = [];
    if (old) {
      const oldPort = await ctx.store.get('logical_port', old.portId);
      if (oldPort) ops.push(...portDeleteOps(oldPort));
    }
    const { externalGateway: _dropped, ...rest } = router;
    const next: Router = touch(
      ctx,
      gw && gatewayPort
        ? {
            ...rest,
            externalGateway: {
              networkId: gw.networkId,
              enableSnat: gw.enableSnat ?? true,
              portId: gatewayPort.id,
            },
          }
        : rest,
    );
    ops.push({ kind: 'update', table: 'router', object: next });
    try {
      const result = await ctx.store.commit(ops);
      ctx.stats.commits++;
      return result.written.find((o) => o.id === routerId) as Router;
    } catch (error) {
      if (gatewayPort)
        await deletePort(ctx, { ...actor, admin: true }, gatewayPort.id, { internal: true }).catch(
          () => undefined,
        );
      throw error;
    }
  });
}

/** Python's repr of a route list, as Neutron's InvalidRoutes message prints it. */
function routesRepr(routes: readonly HostRouteT[]): string {
  return `[${routes.map((r) => `{'destination': '${r.destination}', 'nexthop': '${r.nexthop}'}`).join(', ')}]`;
}

function invalidRoutes(routes: readonly HostRouteT[], reason: string): Error {
  return badRequest('InvalidRoutes', `Invalid format for routes: ${routesRepr(routes)}, ${reason}`);
}

/**
 * Neutron's extraroute checks: each nexthop inside a subnet the router has a port on (interfaces
 * and gateway) and not one of the router's own addresses.
 */
function validateRoutes(
  routes: readonly HostRouteT[],
  connected: readonly Subnet[],
  ownAddresses: ReadonlySet<string>,
): HostRouteT[] {
  const seen = new Set<string>();
  return routes.map((r) => {
    const dest = parsePrefix(r.destination, false);
    const hop = parseIp(r.nexthop);
    if (!dest) throw invalidInput(`'${r.destination}' is not a valid IP subnet`, 'routes');
    if (!hop) throw invalidInput(`'${r.nexthop}' is not a valid IP address`, 'routes');
    const reachable = connected.some((s) => {
      const p = parsePrefix(s.cidr);
      return p !== undefined && prefixContains(p, hop);
    });
    if (!reachable) throw invalidRoutes(routes, 'the nexthop is not connected with router');
    const route = { destination: formatPrefix(dest), nexthop: formatIp(hop) };
    if (ownAddresses.has(route.nexthop)) throw invalidRoutes(routes, 'the nexthop is used by router');
    const key = `${route.destination}|${route.nexthop}`;
    if (seen.has(key)) throw invalidRoutes(routes, `duplicate route ${key}`);
    seen.add(key);
    return route;
  });
}

/** The router's ports (interfaces and gateway): the subnets routes may point into, and its addresses. */
async function routerReach(
  ctx: CoreContext,
  router: Router,
): Promise<{ subnets: Subnet[]; addresses: Set<string> }> {
  const ports = await interfacePorts(ctx, router.id);
  if (router.externalGateway) {
    const gw = await ctx.store.get('logical_port', router.externalGateway.portId);
    if (gw) ports.push(gw);
  }
  return {
    subnets: await routerSubnets(ctx, ports),
    addresses: new Set(ports.flatMap((p) => p.fixedIps.map((f) => f.ipAddress))),
  };
}

/** Neutron's add_extraroutes: exact duplicates merge, same destinations with other nexthops stay. */
function addRoutes(old: readonly HostRouteT[], add: readonly HostRouteT[]): HostRouteT[] {
  const out: HostRouteT[] = [];
  const seen = new Set<string>();
  for (const r of [...old, ...add]) {
    const key = `${r.destination}|${r.nexthop}`;
    if (!seen.has(key)) out.push(r);
    seen.add(key);
  }
  return out;
}

/** Neutron's remove_extraroutes: routes not present are no error (the end state is what counts). */
function removeRoutes(old: readonly HostRouteT[], remove: readonly HostRouteT[]): HostRouteT[] {
  const gone = new Set(remove.map((r) => `${r.destination}|${r.nexthop}`));
  return old.filter((r) => !gone.has(`${r.destination}|${r.nexthop}`));
}

export async function updateRouter(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  patch: RouterPatch,
  options: IfMatchOption = {},
): Promise<Router> {
  if (patch.externalGateway !== undefined) {
    // The gateway change is its own commit: the revision is checked before it.
    checkRevision(await readOwned(ctx, actor, 'router', 'router', id), options);
    await setGateway(ctx, actor, id, patch.externalGateway);
    options = {};
  }
  return changeRouter(ctx, actor, id, options, () => ({
    ...(patch.name === undefined ? {} : { name: patch.name }),
    ...(patch.description === undefined ? {} : { description: patch.description }),
    ...(patch.tags === undefined ? {} : { tags: [...patch.tags] }),
    ...(patch.adminStateUp === undefined ? {} : { adminStateUp: patch.adminStateUp }),
    ...(patch.routes === undefined ? {} : { routes: patch.routes }),
  }));
}

/** extraroute-atomic: routes added to the current set in one compare-and-swap on the router. */
export async function addExtraRoutes(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  routes: readonly HostRouteT[],
): Promise<Router> {
  return changeRouter(ctx, actor, id, {}, (router) => ({ routes: addRoutes(router.routes, routes) }));
}

export async function removeExtraRoutes(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  routes: readonly HostRouteT[],
): Promise<Router> {
  return changeRouter(ctx, actor, id, {}, (router) => ({ routes: removeRoutes(router.routes, routes) }));
}

interface RouterFields {
  readonly name?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly adminStateUp?: boolean;
  readonly routes?: readonly HostRouteT[];
}

/**
 * One read-validate-commit of the router's own fields; `change` sees the router as read in this
 * attempt, so route edits compose with concurrent ones instead of overwriting them.
 */
async function changeRouter(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  options: IfMatchOption,
  change: (router: Router) => RouterFields,
): Promise<Router> {
  return withRetries(ctx, 'update router', async () => {
    const router = await readOwned(ctx, actor, 'router', 'router', id);
    checkRevision(router, options);
    const fields = change(router);
    let routes = router.routes;
    if (fields.routes !== undefined) {
      const reach = await routerReach(ctx, router);
      routes = validateRoutes(fields.routes, reach.subnets, reach.addresses);
    }
    const next: Router = touch(ctx, {
      ...router,
      ...(fields.name === undefined ? {} : { name: fields.name }),
      ...(fields.description === undefined ? {} : { description: fields.description }),
      ...(fields.tags === undefined ? {} : { tags: [...fields.tags] }),
      ...(fields.adminStateUp === undefined ? {} : { adminStateUp: fields.adminStateUp }),
      routes,
    });
    const result = await ctx.store.commit([{ kind: 'update', table: 'router', object: next }]);
    ctx.stats.commits++;
    return result.written[0] as Router;
  });
}

export async function deleteRouter(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  options: IfMatchOption = {},
): Promise<void> {
  await withRetries(ctx, 'delete router', async () => {
    const router = await readOwned(ctx, actor, 'router', 'router', id);
    checkRevision(router, options);
    const attached = await interfacePorts(ctx, id);
    if (attached.length > 0) {
      throw inUse(
        'RouterInUse',
        `Router ${id} has ports still attached: ${attached.map((p) => p.id).join(', ')}`,
      );
    }
    if ((await ctx.store.count('floating_ip', { index: { name: 'router', value: id } })) > 0)
      throw inUse('RouterInUse', `Router ${id} still has floating IPs associated through it`);
    const ops: WriteOp[] = [];
    if (router.externalGateway) {
      const gw = await ctx.store.get('logical_port', router.externalGateway.portId);
      if (gw) ops.push(...portDeleteOps(gw));
    }
    ops.push({ kind: 'delete', table: 'router', id, expectedVersion: router.version });
    await ctx.store.commit(ops);
    ctx.stats.commits++;
  });
}

function eitherSubnetOrPort(): Error {
  return badRequest('BadRequest', 'Bad router request: Either subnet_id or port_id must be specified.');
}

/** Subnets of the router's gateway network: Neutron refuses interfaces overlapping them too. */
async function gatewaySubnets(ctx: CoreContext, router: Router): Promise<readonly Subnet[]> {
  const networkId = router.externalGateway?.networkId;
  if (networkId === undefined) return [];
  return (await ctx.store.list('subnet', { index: { name: 'network', value: networkId } })).items;
}

function checkOverlaps(added: readonly Subnet[], existing: readonly Subnet[]): void {
  for (const s of added) {
    for (const other of existing) {
      const a = parsePrefix(s.cidr);
      const b = parsePrefix(other.cidr);
      if (a && b && prefixesOverlap(a, b)) throw overlapError(s, other);
    }
  }
}

function overlapError(a: Subnet, b: Subnet): Error {
  return badRequest(
    'BadRequest',
    `Bad router request: Cidr ${a.cidr} of subnet ${a.id} overlaps with cidr ${b.cidr} of subnet ${b.id}.`,
  );
}

export async function addRouterInterface(
  ctx: CoreContext,
  actor: Actor,
  routerId: string,
  by: { subnetId?: string; portId?: string },
): Promise<InterfaceInfo> {
  if (by.subnetId === undefined && by.portId === undefined) throw eitherSubnetOrPort();
  if (by.subnetId !== undefined && by.portId !== undefined) {
    throw badRequest('BadRequest', 'Bad router request: Cannot specify both subnet-id and port-id.');
  }
  return withRetries(ctx, 'add router interface', async () => {
    const router = await readOwned(ctx, actor, 'router', 'router', routerId);
    const existingPorts = await interfacePorts(ctx, routerId);
    const existingSubnets = await routerSubnets(ctx, existingPorts);
    let port: LogicalPort;
    let created = false;
    if (by.subnetId !== undefined) {
      const subnet = await readVisible(ctx, actor, 'subnet', 'subnet', by.subnetId);
      if (subnet.gatewayIp === null) {
        throw badRequest(
          'BadRequest',
          'Bad router request: Subnet for router interface must have a gateway IP.',
        );
      }
      if (!actor.admin && subnet.topic !== actor.projectId) {
        // Visible but not ours (an external network's subnet): only shared networks may be attached.
        const network = await ctx.store.get('logical_switch', subnet.networkId);
        if (!network?.shared) {
          throw badRequest(
            'BadRequest',
            `Bad router request: Cannot add interface to router because subnet ${subnet.id} is not owned by project making the request.`,
          );
        }
      }
      if (existingSubnets.some((s) => s.id === subnet.id)) {
        throw badRequest(
          'BadRequest',
          `Bad router request: Router already has a port on subnet ${subnet.id}.`,
        );
      }
      checkOverlaps([subnet], [...existingSubnets, ...(await gatewaySubnets(ctx, router))]);
      port = await createPort(
        ctx,
        { ...actor, admin: true },
        {
          networkId: subnet.networkId,
          fixedIps: [{ subnetId: subnet.id, ipAddress: subnet.gatewayIp }],
          deviceOwner: ROUTER_INTERFACE,
          deviceId: routerId,
          portSecurityEnabled: false,
          projectId: router.topic,
        },
      );
      created = true;
    } else {
      port = await readOwned(ctx, actor, 'logical_port', 'port', by.portId as string);
      if (port.deviceId !== '' || port.deviceOwner !== '') {
        throw conflict(
          'PortInUse',
          `Unable to complete operation on port ${port.id} for network ${port.networkId}. Port already has an attached device ${port.deviceId}.`,
        );
      }
      if (port.fixedIps.length === 0)
        throw badRequest('BadRequest', `Bad router request: Router port must have at least one fixed IP.`);
      const portSubnets = await routerSubnets(ctx, [port]);
      for (const s of portSubnets) {
        if (existingSubnets.some((e) => e.id === s.id)) {
          throw badRequest('BadRequest', `Bad router request: Router already has a port on subnet ${s.id}.`);
        }
      }
      checkOverlaps(portSubnets, [...existingSubnets, ...(await gatewaySubnets(ctx, router))]);
    }
    const ops: WriteOp[] = [{ kind: 'update', table: 'router', object: touch(ctx, router) }];
    if (!created) {
      ops.push({
        kind: 'update',
        table: 'logical_port',
        object: touch(ctx, {
          ...port,
          deviceOwner: ROUTER_INTERFACE,
          deviceId: routerId,
          securityGroups: [],
          portSecurityEnabled: false,
          allowedAddressPairs: [],
        }),
      });
    }
    try {
      await ctx.store.commit(ops);
      ctx.stats.commits++;
    } catch (error) {
      // The router changed under us: undo the port we made; the retry starts over.
      if (created)
        await deletePort(ctx, { ...actor, admin: true }, port.id, { internal: true }).catch(() => undefined);
      throw error;
    }
    const subnetIds = port.fixedIps.map((f) => f.subnetId);
    return {
      id: routerId,
      topic: router.topic,
      portId: port.id,
      subnetId: subnetIds[0] ?? '',
      subnetIds,
      networkId: port.networkId,
    };
  });
}

export async function removeRouterInterface(
  ctx: CoreContext,
  actor: Actor,
  routerId: string,
  by: { subnetId?: string; portId?: string },
): Promise<InterfaceInfo> {
  // Removal accepts both: the port is found, and the subnet must be one of its.
  if (by.subnetId === undefined && by.portId === undefined) throw eitherSubnetOrPort();
  return withRetries(ctx, 'remove router interface', async () => {
    const router = await readOwned(ctx, actor, 'router', 'router', routerId);
    const ports = await interfacePorts(ctx, routerId);
    if (by.portId === undefined && by.subnetId !== undefined) {
      await readVisible(ctx, actor, 'subnet', 'subnet', by.subnetId);
    }
    const port =
      by.portId !== undefined
        ? ports.find((p) => p.id === by.portId)
        : ports.find((p) => p.fixedIps.some((f) => f.subnetId === by.subnetId));
    if (port && by.portId !== undefined && by.subnetId !== undefined) {
      if (!port.fixedIps.some((f) => f.subnetId === by.subnetId)) {
        throw badRequest(
          'SubnetMismatchForPort',
          `Subnet on port ${port.id} does not match the requested subnet ${by.subnetId}.`,
        );
      }
    }
    if (!port) {
      throw by.portId !== undefined
        ? new WeirError(
            'WEIR_CORE_NOT_FOUND',
            `Router ${routerId} does not have an interface with id ${by.portId}`,
            [],
            'RouterInterfaceNotFound',
          )
        : new WeirError(
            'WEIR_CORE_NOT_FOUND',
            `Router ${routerId} has no interface on subnet ${by.subnetId ?? ''}`,
            [],
            'RouterInterfaceNotFoundForSubnet',
          );
    }
    // Floating IPs that reach their fixed address through this interface would be cut off.
    const fips = await ctx.store.list('floating_ip', { index: { name: 'router', value: routerId } });
    const subnets = await routerSubnets(ctx, [port]);
    for (const fip of fips.items) {
      const ip = fip.fixedIpAddress ? parseIp(fip.fixedIpAddress) : undefined;
      if (!ip) continue;
      const cut = subnets.find((s) => {
        const p = parsePrefix(s.cidr);
        return p !== undefined && prefixContains(p, ip);
      });
      if (cut) {
        throw inUse(
          'RouterInterfaceInUseByFloatingIP',
          `Router interface for subnet ${cut.id} on router ${routerId} cannot be deleted, as it is required by one or more floating IPs.`,
        );
      }
    }
    // Extra routes whose nexthop is only reachable through this interface would dangle.
    for (const s of subnets) {
      const p = parsePrefix(s.cidr);
      const used = router.routes.some((r) => {
        const hop = parseIp(r.nexthop);
        return p !== undefined && hop !== undefined && prefixContains(p, hop);
      });
      if (used) {
        throw inUse(
          'RouterInterfaceInUseByRoute',
          `Router interface for subnet ${s.id} on router ${routerId} cannot be deleted, as it is required by one or more routes.`,
        );
      }
    }
    await ctx.store.commit([
      { kind: 'update', table: 'router', object: touch(ctx, router) },
      ...portDeleteOps(port),
    ]);
    ctx.stats.commits++;
    const subnetIds = port.fixedIps.map((f) => f.subnetId);
    return {
      id: routerId,
      topic: router.topic,
      portId: port.id,
      subnetId: subnetIds[0] ?? '',
      subnetIds,
      networkId: port.networkId,
    };
  });
}
