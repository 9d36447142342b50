// Ports: IPAM and MAC allocation through claims in the port's own commit (no duplicate address,
// no lost address, ever), Neutron's rules for security groups, port security and address pairs,
// bulk creation in one all-or-nothing commit, and deletes that release everything they held.
import type { AddressPairT, LogicalPort, LogicalSwitch, Subnet } from '@weir/model';
import { isWeirError, type WeirError } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import { formatIp, formatPrefix, parseIp, parsePrefix } from '../addr.js';
import type { Actor, CoreContext } from '../context.js';
import { badRequest, conflict, forbidden, inUse, invalidInput, notFound } from '../errors.js';
import {
  claimOps,
  macNamespace,
  planFixedIps,
  releaseOps,
  type FixedIpRequest,
  type PlannedIp,
} from '../ipam.js';
import { generateMac, normaliseMac } from '../mac.js';
import { planAddressUpdate } from './port-addresses.js';
import { baseFields, readOwned, readVisible, touch, type BaseInput } from '../objects.js';
import { checkQuota } from '../quota.js';
import { checkRevision, type IfMatchOptions } from '../revision.js';
import { failedOp, withRetries } from '../retry.js';
import { ensureDefaultSecurityGroup } from './security-groups.js';
import { disassociateFloatingIpOps } from './fip-disassociate.js';

export interface BindingInput {
  readonly hostId?: string;
  readonly vnicType?: LogicalPort['binding']['vnicType'];
  readonly profile?: LogicalPort['binding']['profile'];
}

export interface PortInput extends BaseInput {
  readonly networkId: string;
  readonly macAddress?: string;
  readonly fixedIps?: readonly FixedIpRequest[];
  readonly securityGroups?: readonly string[];
  readonly portSecurityEnabled?: boolean;
  readonly allowedAddressPairs?: readonly { ipAddress: string; macAddress?: string }[];
  readonly adminStateUp?: boolean;
  readonly deviceOwner?: string;
  readonly deviceId?: string;
  readonly binding?: BindingInput;
  readonly dnsName?: string;
  readonly projectId?: string;
}

export interface PortPatch extends BaseInput {
  readonly macAddress?: string;
  readonly fixedIps?: readonly FixedIpRequest[];
  readonly securityGroups?: readonly string[];
  readonly portSecurityEnabled?: boolean;
  readonly allowedAddressPairs?: readonly { ipAddress: string; macAddress?: string }[];
  readonly adminStateUp?: boolean;
  readonly deviceOwner?: string;
  readonly deviceId?: string;
  readonly binding?: BindingInput;
  readonly dnsName?: string;
}

/** A load balancer's VIP port (Octavia's device owner) goes with its load balancer. */
const LB_VIP_OWNER = 'Octavia';

/** Ports owned by routers and floating IPs are managed through those resources, not directly. */
const L3_OWNERS = new Set([
  'network:router_interface',
  'network:router_gateway',
  'network:floatingip',
  'network:router_interface_distributed',
]);

function isNetworkOwned(deviceOwner: string): boolean {
  return deviceOwner.startsWith('network:');
}

function binding(input: BindingInput | undefined, current?: LogicalPort['binding']): LogicalPort['binding'] {
  const hostId = input?.hostId ?? current?.hostId ?? '';
  return {
    hostId,
    vnicType: input?.vnicType ?? current?.vnicType ?? 'normal',
    // Weir plugs every port into OVS; "unbound" until a host is set, as in Neutron.
    vifType: hostId ? 'ovs' : 'unbound',
    vifDetails: hostId
      ? { port_filter: true, connectivity: 'l2', bridge_name: 'br-int', datapath_type: 'netdev' }
      : {},
    // Neutron replaces the profile as a whole (an empty one clears it).
    profile: { ...(input?.profile ?? current?.profile ?? {}) },
  };
}

function addressPairs(
  pairs: readonly { ipAddress: string; macAddress?: string }[],
  mac: string,
): AddressPairT[] {
  const out: AddressPairT[] = [];
  for (const p of pairs) {
    const ip = parseIp(p.ipAddress);
    const prefix = ip ? undefined : parsePrefix(p.ipAddress, false);
    if (!ip && !prefix)
      throw invalidInput(`'${p.ipAddress}' is not a valid IP address or CIDR`, 'allowed_address_pairs');
    const address = ip ? formatIp(ip) : formatPrefix(prefix as NonNullable<typeof prefix>);
    const pair = {
      ipAddress: address,
      macAddress: p.macAddress === undefined ? mac : normaliseMac(p.macAddress),
    };
    if (out.some((o) => o.ipAddress === pair.ipAddress && o.macAddress === pair.macAddress)) {
      throw badRequest(
        'DuplicateAddressPairInRequest',
        `Request contains duplicate address pair: mac_address ${pair.macAddress} ip_address ${pair.ipAddress}.`,
      );
    }
    out.push(pair);
  }
  return out;
}

/**
 * The groups exist and belong to the port's project; returns checks that keep them so until the
 * port's commit (a group deleted meanwhile must not be left referenced).
 */
async function checkSecurityGroups(
  ctx: CoreContext,
  topic: string,
  ids: readonly string[],
): Promise<WriteOp[]> {
  const groups = await Promise.all(ids.map((id) => ctx.store.get('security_group', id)));
  return ids.map((id, i): WriteOp => {
    const sg = groups[i];
    if (!sg || sg.topic !== topic) throw notFound('security_group', id);
    return { kind: 'check', table: 'security_group', id, version: sg.version };
  });
}

const MEMO_LIMIT = 10_000;

/**
 * The project's default group: remembered after the first port (saving two round trips per
 * create), verified by a version check in the port's commit; a retry reads it afresh.
 */
async function defaultGroup(
  ctx: CoreContext,
  topic: string,
  round: number,
): Promise<{ readonly id: string; readonly version: number }> {
  const memo = ctx.memo.defaultSecurityGroups;
  const known = round === 0 ? memo.get(topic) : undefined;
  if (known) return known;
  const sg = await ensureDefaultSecurityGroup(ctx, topic);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  const fresh = { id: sg.id, version: sg.version };
  memo.set(topic, fresh);
  return fresh;
}

/**
 * Neutron's policy on a network of another project (shared): only its owner (or an admin) picks
 * addresses, MACs, address pairs or a network:* device owner there; others take what IPAM gives.
 */
function checkNetworkOwnerOnly(input: PortPatch, action: 'create' | 'update'): void {
  const deny = (attr: string): never => {
    throw forbidden(`(rule:${action}_port:${attr}) is disallowed by policy`);
  };
  if (input.fixedIps?.some((f) => f.ipAddress !== undefined)) deny('fixed_ips:ip_address');
  if (action === 'update' && input.fixedIps !== undefined) deny('fixed_ips');
  if (input.macAddress !== undefined) deny('mac_address');
  if (input.allowedAddressPairs !== undefined && input.allowedAddressPairs.length > 0)
    deny('allowed_address_pairs');
  if (input.deviceOwner !== undefined && isNetworkOwned(input.deviceOwner)) deny('device_owner');
}

interface Planned {
  readonly port: LogicalPort;
  readonly ops: WriteOp[];
  readonly explicitOps: ReadonlySet<number>;
}

/**
 * Computes one port and the operations that create it (claims + create + the checks that make
 * the create atomic with its network and subnets). `opBase` is where these ops start in the
 * final commit (bulk creates), so a lost explicit claim can be told from a lost random one.
 */
async function planPort(
  ctx: CoreContext,
  actor: Actor,
  input: PortInput,
  round: number,
  opBase: number,
  cache: Map<string, { network: LogicalSwitch; subnets: Subnet[] }>,
  taken: Map<string, Set<string>>,
): Promise<Planned> {
  let entry = cache.get(input.networkId);
  if (!entry) {
    // Both reads at once; the subnets are discarded if the network turns out invisible.
    const [network, subnets] = await Promise.all([
      readVisible(ctx, actor, 'logical_switch', 'network', input.networkId),
      ctx.store.list('subnet', { index: { name: 'network', value: input.networkId } }),
    ]);
    entry = { network, subnets: [...subnets.items] };
    cache.set(input.networkId, entry);
  }
  const { network, subnets } = entry;
  const topic = input.projectId ?? actor.projectId;
  if (!actor.admin) {
    if (topic !== actor.projectId) throw forbidden('(rule:create_port) is disallowed by policy: tenant_id');
    if (network.topic !== actor.projectId && network.external && !network.shared) {
      throw forbidden('(rule:create_port:device_owner) is disallowed by policy: external network');
    }
    if (input.binding?.hostId !== undefined)
      throw forbidden('(rule:create_port:binding:host_id) is disallowed by policy');
    if (network.topic !== actor.projectId) checkNetworkOwnerOnly(input, 'create');
  }
  const deviceOwner = input.deviceOwner ?? '';
  const portSecurity = input.portSecurityEnabled ?? network.portSecurityEnabled;
  // The MAC first: it decides the port's addresses on auto-address (SLAAC) subnets.
  const explicitMac = input.macAddress !== undefined;
  let mac = explicitMac ? normaliseMac(input.macAddress) : generateMac(ctx);
  // Within one bulk request a generated MAC must not repeat one planned before it (24 random
  // bits: 100 ports collide once in ~3,400 requests) — draw again rather than refuse the bulk.
  const macsPlanned = taken.get(`mac:${input.networkId}`) ?? new Set<string>();
  taken.set(`mac:${input.networkId}`, macsPlanned);
  while (!explicitMac && macsPlanned.has(mac)) mac = generateMac(ctx);
  macsPlanned.add(mac);
  const addressing = { macAddress: mac, macExplicit: explicitMac, deviceOwner };
  const ips = await planFixedIps(ctx, network, subnets, input.fixedIps, addressing, round, taken);
  let securityGroups: string[];
  let groupChecks: WriteOp[] = [];
  if (input.securityGroups !== undefined) {
    securityGroups = [...new Set(input.securityGroups)];
    if (securityGroups.length > 0 && !portSecurity) {
      throw badRequest(
        'PortSecurityAndIPRequiredForSecurityGroups',
        'Port security must be enabled and port must have an IP address in order to use security groups.',
      );
    }
    if (securityGroups.length > 0 && ips.length === 0) {
      throw badRequest(
        'PortSecurityAndIPRequiredForSecurityGroups',
        'Port security must be enabled and port must have an IP address in order to use security groups.',
      );
    }
    groupChecks = await checkSecurityGroups(ctx, topic, securityGroups);
  } else if (portSecurity && ips.length > 0 && !isNetworkOwned(deviceOwner)) {
    const group = await defaultGroup(ctx, topic, round);
    securityGroups = [group.id];
    groupChecks = [{ kind: 'check', table: 'security_group', id: group.id, version: group.version }];
  } else {
    securityGroups = [];
  }
  const pairs = addressPairs(input.allowedAddressPairs ?? [], mac);
  if (pairs.length > 0 && !portSecurity) {
    throw conflict(
      'AddressPairAndPortSecurityRequired',
      'Port Security must be enabled in order to have allowed address pairs on a port.',
    );
  }
  const base = await baseFields(ctx, 'logical_port', topic, input);
  const port: LogicalPort = {
    ...base,
    networkId: network.id,
    macAddress: mac,
    fixedIps: ips.map((ip) => ({ subnetId: ip.subnetId, ipAddress: ip.ipAddress })),
    binding: binding(input.binding),
    deviceOwner,
    deviceId: input.deviceId ?? '',
    securityGroups,
    portSecurityEnabled: portSecurity,
    allowedAddressPairs: pairs,
    status: 'DOWN',
    adminStateUp: input.adminStateUp ?? true,
    dnsName: input.dnsName ?? '',
  };
  const usedSubnets = new Set(ips.map((i) => i.subnetId));
  const ops: WriteOp[] = [
    { kind: 'check', table: 'logical_switch', id: network.id, version: network.version },
  ];
  for (const s of subnets)
    if (usedSubnets.has(s.id)) ops.push({ kind: 'check', table: 'subnet', id: s.id, version: s.version });
  ops.push(...groupChecks);
  const explicitOps = new Set<number>();
  if (explicitMac) explicitOps.add(opBase + ops.length);
  ops.push({ kind: 'claim', namespace: macNamespace(network.id), key: mac, owner: port.id });
  for (const [i, op] of claimOps(port.id, ips).entries()) {
    if ((ips[i] as PlannedIp).explicit) explicitOps.add(opBase + ops.length);
    ops.push(op);
  }
  ops.push({ kind: 'create', table: 'logical_port', object: port });
  return { port, ops, explicitOps };
}

/** A lost claim on an address or MAC the caller chose is their 409; a lost random pick is a race. */
async function explainLostClaim(
  ctx: CoreContext,
  error: WeirError,
  plans: readonly Planned[],
): Promise<WeirError> {
  const allOps = plans.flatMap((p) => p.ops);
  const explicit = new Set(plans.flatMap((p) => [...p.explicitOps]));
  const index = failedOp(error);
  const candidates = index === undefined ? [...explicit] : explicit.has(index) ? [index] : [];
  for (const i of candidates) {
    const op = allOps[i];
    if (op?.kind !== 'claim') continue;
    const holders = await ctx.store.listClaims(op.namespace);
    const holder = holders.find((c) => c.key === op.key);
    if (holder && holder.owner !== op.owner) {
      if (op.namespace.startsWith('mac:')) {
        return conflict(
          'MacAddressInUse',
          `Unable to complete operation for network ${op.namespace.slice(4)}. The mac address ${op.key} is in use.`,
        );
      }
      return conflict(
        'IpAddressAlreadyAllocated',
        `IP address ${op.key} already allocated in subnet ${op.namespace.slice(3)}`,
      );
    }
  }
  return error;
}

async function commitPlans(ctx: CoreContext, plans: readonly Planned[]): Promise<LogicalPort[]> {
  try {
    const result = await ctx.store.commit(plans.flatMap((p) => p.ops));
    ctx.stats.commits++;
    return result.written.filter((o): o is LogicalPort => 'macAddress' in o && 'fixedIps' in o);
  } catch (error) {
    if (isWeirError(error, 'WEIR_STORE_CLAIMED')) {
      const explained = await explainLostClaim(ctx, error, plans);
      if (explained !== error) throw explained;
    }
    throw error;
  }
}

/** Store conflicts are races (retry); domain errors (explained lost claims) are final. */
function isRace(error: WeirError): boolean {
  return error.code.startsWith('WEIR_STORE_');
}

export async function createPort(ctx: CoreContext, actor: Actor, input: PortInput): Promise<LogicalPort> {
  const [port] = await createPorts(ctx, actor, [input]);
  return port as LogicalPort;
}

/** Neutron bulk create: all ports or none, in one commit. */
export async function createPorts(
  ctx: CoreContext,
  actor: Actor,
  inputs: readonly PortInput[],
): Promise<LogicalPort[]> {
  if (inputs.length === 0) return [];
  const topics = new Map<string, number>();
  for (const i of inputs)
    topics.set(i.projectId ?? actor.projectId, (topics.get(i.projectId ?? actor.projectId) ?? 0) + 1);
  // The quota reads run while the first attempt plans (one round trip of latency saved); an
  // over-quota request still fails with OverQuota first, whatever else is wrong with it.
  const quota = Promise.all(
    [...topics].map(([topic, n]) => checkQuota(ctx, topic, 'port', 'logical_port', n)),
  );
  quota.catch(() => undefined); // awaited below; this only keeps an early rejection observed
  return withRetries(
    ctx,
    'create port',
    async (round) => {
      const cache = new Map<string, { network: LogicalSwitch; subnets: Subnet[] }>();
      const taken = new Map<string, Set<string>>();
      const plans: Planned[] = [];
      let opBase = 0;
      try {
        for (const input of inputs) {
          const plan = await planPort(ctx, actor, input, round, opBase, cache, taken);
          opBase += plan.ops.length;
          plans.push(plan);
        }
      } catch (error) {
        await quota;
        throw error;
      }
      await quota;
      // Addresses chosen for different ports of one bulk request must differ too.
      const seen = new Set<string>();
      for (const p of plans) {
        for (const op of p.ops) {
          if (op.kind !== 'claim') continue;
          const key = `${op.namespace}|${op.key}`;
          if (seen.has(key))
            throw conflict(
              op.namespace.startsWith('mac:') ? 'MacAddressInUse' : 'IpAddressAlreadyAllocated',
              `${op.key} is requested twice in one bulk request`,
            );
          seen.add(key);
        }
      }
      return commitPlans(ctx, plans);
    },
    isRace,
  );
}

export async function updatePort(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  patch: PortPatch,
  options: { ifMatchVersion?: number } = {},
): Promise<LogicalPort> {
  if (!actor.admin && patch.binding?.hostId !== undefined)
    throw forbidden('(rule:update_port:binding:host_id) is disallowed by policy');
  return withRetries(
    ctx,
    'update port',
    async (round) => {
      const current = await readOwned(ctx, actor, 'logical_port', 'port', id);
      checkRevision(current, options.ifMatchVersion);
      if (!actor.admin) {
        const network = await ctx.store.get('logical_switch', current.networkId);
        if (network && network.topic !== actor.projectId) checkNetworkOwnerOnly(patch, 'update');
      }
      const ops: WriteOp[] = [];
      const explicit = new Set<number>();
      let mac = current.macAddress;
      if (patch.macAddress !== undefined && normaliseMac(patch.macAddress) !== current.macAddress) {
        if (current.binding.hostId && !actor.admin)
          throw conflict(
            'PortBound',
            `Unable to complete operation on port ${id}, port is already bound, port type: ovs, old_mac ${current.macAddress}, new_mac ${patch.macAddress}.`,
          );
        mac = normaliseMac(patch.macAddress);
        explicit.add(ops.length);
        ops.push({ kind: 'claim', namespace: macNamespace(current.networkId), key: mac, owner: id });
        ops.push({
          kind: 'release',
          namespace: macNamespace(current.networkId),
          key: current.macAddress,
          owner: id,
        });
      }
      let fixedIps = current.fixedIps;
      // A new MAC moves the port's EUI-64 (SLAAC) addresses, so it is an address change too.
      if (patch.fixedIps !== undefined || mac !== current.macAddress) {
        const network = await readVisible(ctx, actor, 'logical_switch', 'network', current.networkId);
        const subnets = (await ctx.store.list('subnet', { index: { name: 'network', value: network.id } }))
          .items;
        const change = await planAddressUpdate(ctx, network, subnets, current, patch.fixedIps, mac, round);
        for (const [i, op] of claimOps(id, change.added).entries()) {
          if ((change.added[i] as PlannedIp).explicit) explicit.add(ops.length);
          ops.push(op);
        }
        ops.push(...releaseOps(id, change.dropped), ...change.checks);
        fixedIps = change.fixedIps;
      }
      const portSecurity = patch.portSecurityEnabled ?? current.portSecurityEnabled;
      const securityGroups =
        patch.securityGroups !== undefined
          ? [...new Set(patch.securityGroups)]
          : patch.portSecurityEnabled === false
            ? []
            : current.securityGroups;
      if (patch.securityGroups !== undefined)
        ops.push(...(await checkSecurityGroups(ctx, current.topic, securityGroups)));
      if (securityGroups.length > 0 && (!portSecurity || fixedIps.length === 0)) {
        throw badRequest(
          'PortSecurityAndIPRequiredForSecurityGroups',
          'Port security must be enabled and port must have an IP address in order to use security groups.',
        );
      }
      const pairs =
        patch.allowedAddressPairs !== undefined
          ? addressPairs(patch.allowedAddressPairs, mac)
          : current.allowedAddressPairs;
      if (pairs.length > 0 && !portSecurity) {
        throw conflict(
          'AddressPairAndPortSecurityRequired',
          'Port Security must be enabled in order to have allowed address pairs on a port.',
        );
      }
      const next: LogicalPort = touch(ctx, {
        ...current,
        ...(patch.name === undefined ? {} : { name: patch.name }),
        ...(patch.description === undefined ? {} : { description: patch.description }),
        ...(patch.tags === undefined ? {} : { tags: [...patch.tags] }),
        macAddress: mac,
        fixedIps,
        securityGroups,
        portSecurityEnabled: portSecurity,
        allowedAddressPairs: pairs,
        ...(patch.adminStateUp === undefined ? {} : { adminStateUp: patch.adminStateUp }),
        ...(patch.deviceOwner === undefined ? {} : { deviceOwner: patch.deviceOwner }),
        ...(patch.deviceId === undefined ? {} : { deviceId: patch.deviceId }),
        ...(patch.dnsName === undefined ? {} : { dnsName: patch.dnsName }),
        binding: patch.binding === undefined ? current.binding : binding(patch.binding, current.binding),
      });
      ops.push({ kind: 'update', table: 'logical_port', object: next });
      const plan: Planned = { port: next, ops, explicitOps: explicit };
      try {
        const result = await ctx.store.commit(ops);
        ctx.stats.commits++;
        return result.written[0] as LogicalPort;
      } catch (error) {
        if (isWeirError(error, 'WEIR_STORE_CLAIMED')) {
          const explained = await explainLostClaim(ctx, error, [plan]);
          if (explained !== error) throw explained;
        }
        throw error;
      }
    },
    isRace,
  );
}

/** The operations that delete a port and release everything it holds. */
export function portDeleteOps(port: LogicalPort): WriteOp[] {
  return [
    { kind: 'delete', table: 'logical_port', id: port.id, expectedVersion: port.version },
    { kind: 'release', namespace: macNamespace(port.networkId), key: port.macAddress, owner: port.id },
    ...releaseOps(port.id, port.fixedIps),
  ];
}

export async function deletePort(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  options: { internal?: boolean } & IfMatchOptions = {},
): Promise<void> {
  await withRetries(ctx, 'delete port', async () => {
    const port = await readOwned(ctx, actor, 'logical_port', 'port', id);
    checkRevision(port, options.ifMatchVersion);
    if (!options.internal && L3_OWNERS.has(port.deviceOwner)) {
      throw conflict(
        'L3PortInUse',
        `Port ${id} cannot be deleted directly via the port API: has device owner ${port.deviceOwner}.`,
      );
    }
    if (!options.internal && port.deviceOwner === LB_VIP_OWNER) {
      throw conflict(
        'PortInUse',
        `Port ${id} cannot be deleted: it is the VIP port of load balancer ${port.deviceId.replace(/^lb-/, '')}.`,
      );
    }
    const trunks = await ctx.store.list('trunk', { index: { name: 'port', value: id } });
    if (trunks.items.length > 0) {
      throw inUse(
        'PortInUseAsTrunkParent',
        `Port ${id} is currently a parent port for trunk ${trunks.items[0]?.id}.`,
      );
    }
    if (port.subportOf) {
      // Neutron refuses this too: the subport must leave its trunk first.
      throw inUse(
        'PortInUseAsSubPort',
        `Port ${id} is currently a subport for trunk ${port.subportOf.trunkId}.`,
      );
    }
    const ops: WriteOp[] = [
      // Atomic with the delete: no trunk may take this port as its parent meanwhile.
      { kind: 'checkEmpty', table: 'trunk', index: { name: 'port', value: id } },
      ...portDeleteOps(port),
      ...(await disassociateFloatingIpOps(ctx, id)),
    ];
    await ctx.store.commit(ops);
    ctx.stats.commits++;
  });
}

/**
 * The controller reports a port's state (ACTIVE once its flows are installed, DOWN when unplugged).
 * With `boundTo`, only while the port is bound to that chassis: a controller's report must not
 * overwrite the state of a port that was meanwhile bound elsewhere (that chassis reports it).
 */
export async function setPortStatus(
  ctx: CoreContext,
  id: string,
  status: LogicalPort['status'],
  options: {
    readonly boundTo?: string;
    /**
     * The port as the caller last saw it (the controller's watch): the first attempt writes from
     * it with a version check and no read; a newer version in the store costs one retry with a read.
     */
    readonly current?: LogicalPort;
  } = {},
): Promise<LogicalPort | undefined> {
  return withRetries(ctx, 'set port status', async (round) => {
    const port =
      round === 0 && options.current?.id === id ? options.current : await ctx.store.get('logical_port', id);
    if (!port) return undefined;
    if (options.boundTo !== undefined && port.binding.hostId !== options.boundTo) return port;
    if (port.status === status) return port;
    const result = await ctx.store.commit([
      { kind: 'update', table: 'logical_port', object: touch(ctx, { ...port, status }) },
    ]);
    ctx.stats.commits++;
    return result.written[0] as LogicalPort;
  });
}
