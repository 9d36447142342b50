// What the controller keeps of each northbound object: only the fields that decide flows, in the
// shape the apps read. Equality is over those fields alone, so a write that changes nothing the
// data plane sees (a port's status, which the controller itself writes; a chassis heartbeat; a
// name or a description) is no change for the engine: no handler runs, no flow is rebuilt.
import type { Chassis, LogicalPort, LogicalSwitch } from '@weir/model';

export interface AddressPairView {
  /** An address or a prefix (`10.0.0.0/24`). */
  readonly ip: string;
  readonly mac: string;
}

export interface PortView {
  readonly id: string;
  /** uniqueKey: what the registers and cookies carry. */
  readonly key: number;
  readonly networkId: string;
  readonly mac: string;
  /** Fixed addresses (IPv4 and IPv6), in the port's order. */
  readonly ips: readonly string[];
  readonly addressPairs: readonly AddressPairView[];
  readonly portSecurity: boolean;
  /** binding:host_id — the chassis the port is bound to ("" when unbound). */
  readonly hostId: string;
  readonly adminUp: boolean;
  readonly deviceOwner: string;
}

export type OverlayType = 'geneve' | 'vxlan';

export interface NetworkView {
  readonly id: string;
  readonly key: number;
  readonly type: LogicalSwitch['networkType'];
  /** The VNI of geneve/vxlan networks. */
  readonly segmentationId: number | undefined;
  readonly mtu: number;
}

export interface ChassisView {
  readonly name: string;
  /** The uniqueKey of the incarnation this view comes from (cookie owner of its flows). */
  readonly key: number;
  readonly tunnelIp: string;
  readonly tunnelTypes: readonly OverlayType[];
}

export function portView(p: LogicalPort): PortView {
  return {
    id: p.id,
    key: p.uniqueKey,
    networkId: p.networkId,
    mac: p.macAddress,
    ips: p.fixedIps.map((f) => f.ipAddress),
    addressPairs: p.allowedAddressPairs.map((a) => ({ ip: a.ipAddress, mac: a.macAddress })),
    portSecurity: p.portSecurityEnabled,
    hostId: p.binding.hostId,
    adminUp: p.adminStateUp,
    deviceOwner: p.deviceOwner,
  };
}

export function networkView(n: LogicalSwitch): NetworkView {
  return {
    id: n.id,
    key: n.uniqueKey,
    type: n.networkType,
    segmentationId: n.segmentationId,
    mtu: n.mtu,
  };
}

export function chassisView(c: Chassis): ChassisView {
  return { name: c.name, key: c.uniqueKey, tunnelIp: c.tunnelIp, tunnelTypes: [...c.tunnelTypes] };
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x, i) => same(x, b[i] as T));
}

const eq = <T>(x: T, y: T): boolean => x === y;

export function samePort(a: PortView, b: PortView): boolean {
  return (
    a.id === b.id &&
    a.key === b.key &&
    a.networkId === b.networkId &&
    a.mac === b.mac &&
    a.portSecurity === b.portSecurity &&
    a.hostId === b.hostId &&
    a.adminUp === b.adminUp &&
    a.deviceOwner === b.deviceOwner &&
    sameList(a.ips, b.ips, eq) &&
    sameList(a.addressPairs, b.addressPairs, (x, y) => x.ip === y.ip && x.mac === y.mac)
  );
}

export function sameNetwork(a: NetworkView, b: NetworkView): boolean {
  return (
    a.id === b.id &&
    a.key === b.key &&
    a.type === b.type &&
    a.segmentationId === b.segmentationId &&
    a.mtu === b.mtu
  );
}

export function sameChassis(a: ChassisView, b: ChassisView): boolean {
  return (
    a.name === b.name &&
    a.key === b.key &&
    a.tunnelIp === b.tunnelIp &&
    sameList(a.tunnelTypes, b.tunnelTypes, eq)
  );
}
