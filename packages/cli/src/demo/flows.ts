// The demo pipeline, two tables, written as ovs-ofctl text so it reads like a flow dump:
//   0  classify: packets for the controller (DHCP, ARP and ping to the gateway); MAC
//      anti-spoofing (a host may only send with its own MAC from its own port); else drop
//   1  L2 forwarding: known unicast to its port, broadcast to every host port
// (The real controller of a later issue replaces this with the declared pipeline.)
import { parseFlows, type FlowMod } from '@weir/openflow';
import type { DemoTopology } from './topology.js';

export const DEMO_COOKIE = 0xde30_0000_0000_0000n;

export function demoFlows(t: DemoTopology): FlowMod[] {
  const cookie = `cookie=0x${DEMO_COOKIE.toString(16)}`;
  const lines = [
    `table=0,${cookie},priority=300,udp,udp_src=68,udp_dst=67,actions=CONTROLLER:65535`,
    `table=0,${cookie},priority=300,arp,arp_op=1,arp_tpa=${t.gatewayIp},actions=CONTROLLER:65535`,
    `table=0,${cookie},priority=300,icmp,nw_dst=${t.gatewayIp},icmp_type=8,actions=CONTROLLER:65535`,
    ...t.hosts.map(
      (h) => `table=0,${cookie},priority=100,in_port=${h.ofport},dl_src=${h.mac},actions=goto_table:1`,
    ),
    `table=0,${cookie},priority=0,actions=drop`,
    ...t.hosts.map((h) => `table=1,${cookie},priority=100,dl_dst=${h.mac},actions=output:${h.ofport}`),
    `table=1,${cookie},priority=50,dl_dst=ff:ff:ff:ff:ff:ff,actions=${t.hosts.map((h) => `output:${h.ofport}`).join(',')}`,
    `table=1,${cookie},priority=0,actions=drop`,
  ];
  return parseFlows(lines.join('\n'));
}
