// A port update's new addresses, with Neutron's rules (ipam_backend_mixin._get_changed_ips_for_port
// and ipam_pluggable_backend.update_port_with_ips):
// - a fixed_ips entry naming an address the port holds keeps it; a subnet-only entry keeps the
//   port's address on that subnet; the other entries are allocated (an explicit address on an
//   auto-address subnet is refused but for router interfaces);
// - addresses no entry names are released, except on auto-address subnets: those are implicit
//   and stay (router interfaces excepted, which hold no implicit address);
// - a new MAC moves every EUI-64 address of the old MAC to the new MAC's;
// - an auto-address subnet where the port has no address gives it its EUI-64 address.
// Claims for what is added and releases for what is dropped go in the port's own commit.
import type { FixedIpT, LogicalPort, LogicalSwitch, Subnet } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import { formatIp, parseIp } from '../addr.js';
import type { CoreContext } from '../context.js';
import {
  ROUTER_INTERFACE_OWNERS_SNAT,
  autoAddressOf,
  autoAddresses,
  isAutoAddressSubnet,
  planRequestedIps,
  type FixedIpRequest,
  type PlannedIp,
} from '../ipam.js';

export interface AddressUpdate {
  readonly fixedIps: FixedIpT[];
  /** Addresses to claim (in the port's commit). */
  readonly added: PlannedIp[];
  /** Addresses to release. */
  readonly dropped: FixedIpT[];
  /** Version checks of the subnets that give addresses, so none is deleted meanwhile. */
  readonly checks: WriteOp[];
}

const keyOf = (f: FixedIpT): string => `${f.subnetId}|${f.ipAddress}`;

/** The port's addresses that the entries name (Neutron matches explicit addresses first). */
function matchRequests(
  current: readonly FixedIpT[],
  requests: readonly FixedIpRequest[],
): { keep: Set<string>; unmatched: FixedIpRequest[] } {
  const keep = new Set<string>();
  const unmatched: FixedIpRequest[] = [];
  const pending: FixedIpRequest[] = [];
  for (const r of requests) {
    if (r.ipAddress === undefined) {
      pending.push(r);
      continue;
    }
    const ip = parseIp(r.ipAddress);
    const canonical = ip ? formatIp(ip) : undefined;
    const held = current.find(
      (f) =>
        !keep.has(keyOf(f)) &&
        f.ipAddress === canonical &&
        (r.subnetId === undefined || f.subnetId === r.subnetId),
    );
    if (held) keep.add(keyOf(held));
    else unmatched.push(r);
  }
  for (const r of pending) {
    const held = current.find((f) => !keep.has(keyOf(f)) && f.subnetId === r.subnetId);
    if (held) keep.add(keyOf(held));
    else unmatched.push(r);
  }
  return { keep, unmatched };
}

export async function planAddressUpdate(
  ctx: CoreContext,
  network: LogicalSwitch,
  subnets: readonly Subnet[],
  current: LogicalPort,
  requests: readonly FixedIpRequest[] | undefined,
  mac: string,
  round: number,
): Promise<AddressUpdate> {
  const owner = current.deviceOwner;
  const routerPort = ROUTER_INTERFACE_OWNERS_SNAT.has(owner);
  const byId = new Map(subnets.map((s) => [s.id, s]));
  const isAuto = (id: string): boolean => {
    const s = byId.get(id);
    return s !== undefined && isAutoAddressSubnet(s);
  };
  let kept: FixedIpT[] = [...current.fixedIps];
  let requested: PlannedIp[] = [];
  if (requests !== undefined) {
    const { keep, unmatched } = matchRequests(current.fixedIps, requests);
    kept = current.fixedIps.filter((f) => keep.has(keyOf(f)) || (!routerPort && isAuto(f.subnetId)));
    // The port's own addresses are not picked for its new entries (one commit may not claim and
    // release the same address).
    const taken = new Map<string, Set<string>>();
    for (const f of current.fixedIps) {
      let set = taken.get(f.subnetId);
      if (!set) taken.set(f.subnetId, (set = new Set()));
      set.add(f.ipAddress);
    }
    requested = await planRequestedIps(ctx, network, subnets, unmatched, owner, round, taken);
  }
  if (mac !== current.macAddress && !routerPort) {
    // The old MAC's EUI-64 addresses go; the auto step below gives the new MAC's.
    kept = kept.filter((f) => {
      const s = byId.get(f.subnetId);
      return !(s && isAutoAddressSubnet(s) && f.ipAddress === autoAddressOf(s, current.macAddress));
    });
  }
  const settled = new Set([...kept, ...requested].map((f) => f.subnetId));
  // An update's MAC is fixed by the time it commits: a lost claim on its EUI-64 address is a 409.
  const implicit = autoAddresses(
    subnets,
    { macAddress: mac, macExplicit: true, deviceOwner: owner },
    settled,
  );
  const added = [...requested, ...implicit];
  const keptKeys = new Set(kept.map(keyOf));
  const dropped = current.fixedIps.filter((f) => !keptKeys.has(keyOf(f)));
  const addedSubnets = new Set(added.map((a) => a.subnetId));
  const checks = subnets
    .filter((s) => addedSubnets.has(s.id))
    .map((s): WriteOp => ({ kind: 'check', table: 'subnet', id: s.id, version: s.version }));
  return {
    fixedIps: [...kept, ...added.map((a) => ({ subnetId: a.subnetId, ipAddress: a.ipAddress }))],
    added,
    dropped,
    checks,
  };
}
