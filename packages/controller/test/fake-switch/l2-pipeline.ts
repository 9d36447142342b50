// A small L2 pipeline shaped like a controller's, for the tracing tests and the ofproto/trace
// comparison: classifier → port security → ARP responder → L2 lookup → output, registers
// carrying network (reg4) and port keys (reg6 source, reg7 destination), a flood group whose
// buckets set reg7 and resubmit, a tunnel output and an ARP responder for the gateway.
// Cookies name the owner: 0x<table digit><port key>.
import type { Packet } from '../../src/fake-switch/index.js';

export const GW_MAC = '02:00:00:00:00:01';
export const VM1 = 'fa:16:3e:00:00:11';
export const VM2 = 'fa:16:3e:00:00:12';
export const REMOTE = 'fa:16:3e:00:00:99';
/** Port 1: VM1, port 2: VM2, port 3: a port with no flows, port 100: the tunnel. */
export const TUNNEL_PORT = 100;

export const PIPELINE = `
table=0,cookie=0x100,priority=100,in_port=1,actions=load:0x11->NXM_NX_REG6[],load:0x5->NXM_NX_REG4[],goto_table:10
table=0,cookie=0x100,priority=100,in_port=2,actions=load:0x12->NXM_NX_REG6[],load:0x5->NXM_NX_REG4[],goto_table:10
table=0,cookie=0x100,priority=100,in_port=100,tun_id=0x64,actions=load:0x5->NXM_NX_REG4[],load:0x1->NXM_NX_REG0[0],goto_table:10
table=0,cookie=0x100,priority=0,actions=drop
table=10,cookie=0x211,priority=100,reg6=0x11,dl_src=${VM1},actions=goto_table:20
table=10,cookie=0x212,priority=100,reg6=0x12,dl_src=${VM2},actions=goto_table:20
table=10,cookie=0x200,priority=90,reg0=0x1/0x1,actions=goto_table:20
table=10,cookie=0x200,priority=0,actions=drop
table=20,cookie=0x301,priority=100,arp,reg4=0x5,arp_tpa=10.0.0.1,arp_op=1,actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],set_field:${GW_MAC}->eth_src,set_field:2->arp_op,move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],set_field:${GW_MAC}->arp_sha,move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],set_field:10.0.0.1->arp_spa,IN_PORT
table=20,cookie=0x300,priority=0,actions=goto_table:30
table=30,cookie=0x411,priority=100,reg4=0x5,dl_dst=${VM1},actions=load:0x11->NXM_NX_REG7[],goto_table:40
table=30,cookie=0x412,priority=100,reg4=0x5,dl_dst=${VM2},actions=load:0x12->NXM_NX_REG7[],goto_table:40
table=30,cookie=0x499,priority=100,reg4=0x5,dl_dst=${REMOTE},actions=load:0x99->NXM_NX_REG7[],goto_table:40
table=30,cookie=0x400,priority=50,reg4=0x5,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=group:1
table=40,cookie=0x511,priority=100,reg7=0x11,actions=output:1
table=40,cookie=0x512,priority=100,reg7=0x12,actions=output:2
table=40,cookie=0x599,priority=100,reg7=0x99,actions=set_field:192.168.0.2->tun_dst,set_field:0x64->tun_id,output:100
`;
export const FLOOD =
  'group_id=1,type=all,bucket=actions=set_field:0x11->reg7,resubmit(,40),bucket=actions=set_field:0x12->reg7,resubmit(,40),bucket=actions=set_field:0x99->reg7,resubmit(,40)';

/** The packet in the flow syntax ovs-appctl ofproto/trace takes (prerequisites first). */
export function traceFlowText(p: Packet): string {
  const rank = (field: string): number => {
    const r = ['eth_type', 'nw_proto'].indexOf(field);
    return r < 0 ? 2 : r;
  };
  return Object.entries(p)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([k, v]) => `${k}=${typeof v === 'bigint' ? `0x${v.toString(16)}` : String(v)}`)
    .join(',');
}
