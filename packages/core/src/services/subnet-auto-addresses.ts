// The ports' side of creating and deleting an IPv6 auto-address (SLAAC, DHCPv6-stateless) subnet,
// as Neutron does it: a new one gives every port of the network but router interfaces its EUI-64
// address (add_auto_addrs_on_network_ports); deleting one takes those addresses back from the
// ports instead of refusing, unless a router interface is on it (delete_subnet). Both are O(ports
// of the network) and go into the subnet's own commit, with a checkNoneJoined on the list they
// came from: a port that joined meanwhile fails the commit, and the retry sees it.
import type { LogicalPort, Subnet } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import type { CoreContext } from '../context.js';
import { inUse } from '../errors.js';
import {
  ROUTER_INTERFACE_OWNERS,
  ROUTER_INTERFACE_OWNERS_SNAT,
  autoAddressOf,
  ipNamespace,
  releaseOps,
} from '../ipam.js';
import { touch } from '../objects.js';

/** Claims and port updates giving the network's ports their address on the new `subnet`. */
export async function addAutoAddressOps(ctx: CoreContext, subnet: Subnet): Promise<WriteOp[]> {
  const index = { name: 'network', value: subnet.networkId };
  const ports = await ctx.store.list('logical_port', { index });
  const ops: WriteOp[] = [{ kind: 'checkNoneJoined', table: 'logical_port', index, since: ports.revision }];
  for (const port of ports.items) {
    if (ROUTER_INTERFACE_OWNERS_SNAT.has(port.deviceOwner)) continue;
    const ipAddress = autoAddressOf(subnet, port.macAddress);
    const next: LogicalPort = touch(ctx, {
      ...port,
      fixedIps: [...port.fixedIps, { subnetId: subnet.id, ipAddress }],
    });
    ops.push(
      { kind: 'claim', namespace: ipNamespace(subnet.id), key: ipAddress, owner: port.id },
      { kind: 'update', table: 'logical_port', object: next },
    );
  }
  return ops;
}

/** Port updates and releases taking the auto-address `subnet`'s addresses back before its delete. */
export async function removeAutoAddressOps(ctx: CoreContext, subnet: Subnet): Promise<WriteOp[]> {
  const index = { name: 'subnet', value: subnet.id };
  const ports = await ctx.store.list('logical_port', { index });
  if (ports.items.some((p) => ROUTER_INTERFACE_OWNERS.has(p.deviceOwner))) {
    throw inUse(
      'SubnetInUse',
      `Unable to complete operation on subnet ${subnet.id}: One or more ports have an IP allocation from this subnet.`,
    );
  }
  const ops: WriteOp[] = [{ kind: 'checkNoneJoined', table: 'logical_port', index, since: ports.revision }];
  for (const port of ports.items) {
    const next: LogicalPort = touch(ctx, {
      ...port,
      fixedIps: port.fixedIps.filter((f) => f.subnetId !== subnet.id),
    });
    ops.push(
      { kind: 'update', table: 'logical_port', object: next },
      ...releaseOps(
        port.id,
        port.fixedIps.filter((f) => f.subnetId === subnet.id),
      ),
    );
  }
  return ops;
}
