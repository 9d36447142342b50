// A Weir controller for a lab node: its chassis name is the node's (n1…nN), it listens where the
// node's ovs-vswitchd dials (under its run directory) and owns br-int on the userspace datapath.
// Shared by the lab daemon, `weir demo` and the benchmarks.
import { LocalController, OvsPlatform, type ControllerOptions } from '@weir/controller';
import type { LabNode } from '@weir/lab';
import type { Store } from '@weir/nbdb';

export function labNodeController(
  node: LabNode,
  store: Store,
  options: Pick<ControllerOptions, 'log'> = {},
): LocalController {
  return new LocalController({
    store,
    chassis: `n${node.index}`,
    tunnelIp: node.tunnelIp,
    platform: new OvsPlatform({
      ovsdb: node.dbTarget,
      bridge: 'br-int',
      openflow: node.controllerTarget,
      datapathType: 'netdev',
    }),
    ...options,
  });
}
