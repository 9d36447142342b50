// What the Weir controller will do on each node, done by hand for the lab's tests: br-int with
// flow-based Geneve and VXLAN ports, one host per node, and a static pipeline in table 0 (an ARP
// responder, local delivery, tunnel output) — the recipe's gen_flows.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { LabHost, run, type LabCluster, type LabNode } from '../../src/index.js';

export const GENEVE_PORT = 100;
export const VXLAN_PORT = 101;
const HOST_PORT = 1;
const VNI = 100;

export interface OverlayHost {
  readonly node: LabNode;
  readonly host: LabHost;
  readonly ip: string;
  readonly mac: string;
}

/** Host on node i: 203.0.113.(10i+1) (TEST-NET-3), MAC 02:00:cb:00:71:<that octet>. */
export function hostAddress(index: number): { ip: string; mac: string } {
  const octet = 10 * index + 1;
  return { ip: `203.0.113.${octet}`, mac: `02:00:cb:00:71:${octet.toString(16).padStart(2, '0')}` };
}

/** br-int (as the controller would make it) plus one host plugged into it, on every node. */
export async function buildOverlay(cluster: LabCluster): Promise<OverlayHost[]> {
  return Promise.all(
    cluster.nodes.map(async (node) => {
      const { ip, mac } = hostAddress(node.index);
      await node.ovs.vsctl([
        ...['add-br', 'br-int', '--', 'set', 'bridge', 'br-int', 'datapath_type=netdev'],
        ...['fail_mode=secure', 'protocols=OpenFlow13'],
        ...['--', 'add-port', 'br-int', 'gnv0', '--', 'set', 'interface', 'gnv0', 'type=geneve'],
        ...['options:remote_ip=flow', 'options:key=flow', `ofport_request=${GENEVE_PORT}`],
        ...['--', 'add-port', 'br-int', 'vxl0', '--', 'set', 'interface', 'vxl0', 'type=vxlan'],
        ...['options:remote_ip=flow', 'options:key=flow', `ofport_request=${VXLAN_PORT}`],
      ]);
      const host = await LabHost.create(node.ovs, { name: 'h', mac, mtu: node.overlayMtu });
      await host.addAddress(`${ip}/24`);
      await node.ovs.vsctl([
        ...['add-port', 'br-int', host.portName, '--', 'set', 'interface', host.portName],
        `ofport_request=${HOST_PORT}`,
      ]);
      return { node, host, ip, mac };
    }),
  );
}

/** The static pipeline for `self`, sending to the other nodes through `tunnelPort`. */
export function overlayFlows(self: LabNode, all: readonly LabNode[], tunnelPort: number): string {
  const flows: string[] = [];
  for (const node of all) {
    const { ip, mac } = hostAddress(node.index);
    flows.push(
      `table=0,priority=200,arp,arp_op=1,arp_tpa=${ip} actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],` +
        `set_field:${mac}->eth_src,set_field:2->arp_op,move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],` +
        `set_field:${mac}->arp_sha,move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],set_field:${ip}->arp_spa,IN_PORT`,
    );
    if (node === self) {
      flows.push(
        `table=0,priority=150,in_port=${tunnelPort},tun_id=${VNI},ip,nw_dst=${ip} actions=output:${HOST_PORT}`,
      );
    } else {
      flows.push(
        `table=0,priority=100,in_port=${HOST_PORT},ip,nw_dst=${ip} actions=set_field:${mac}->eth_dst,` +
          `set_field:${node.tunnelIp}->tun_dst,set_field:${VNI}->tun_id,output:${tunnelPort}`,
      );
    }
  }
  // Anything else from a tunnel (the other tunnel type, another VNI) is dropped, not guessed at.
  flows.push(`table=0,priority=140,in_port=${tunnelPort} actions=drop`);
  return `${flows.join('\n')}\n`;
}

/** Replaces br-int's flows on `node` (one bundle), as a controller's replay would. */
export async function installOverlayFlows(
  node: LabNode,
  all: readonly LabNode[],
  tunnelPort: number,
): Promise<void> {
  await node.ovs.ofctl('br-int', 'replace-flows', ['-'], {
    flags: ['--bundle'],
    input: overlayFlows(node, all, tunnelPort),
  });
}

/** tx_packets of one br-int port, read from the switch. */
export async function txPackets(node: LabNode, port: number): Promise<number> {
  const out = await node.ovs.ofctl('br-int', 'dump-ports', [String(port)]);
  const m = /tx pkts=(\d+)/.exec(out);
  if (!m?.[1]) throw new Error(`no tx counter for port ${port} on ${node.name}:\n${out}`);
  return Number(m[1]);
}

/** One echo request with a short wait; true when the reply came back. */
export async function pingOnce(from: LabHost, ip: string, waitSeconds = 0.2): Promise<boolean> {
  try {
    await from.exec('ping', ['-n', '-q', '-c', '1', '-W', String(waitSeconds), ip], 5000);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends `payload` over TCP from `from` to `to` (busybox nc on both ends) and resolves with what
 * the receiver got. Exercises the checksum and MTU pitfalls: segments are full-size and their
 * checksums must be right for the receiver's kernel to accept them.
 */
export async function tcpTransfer(from: LabHost, to: OverlayHost, payload: string): Promise<string> {
  const port = '5001';
  // The listener's stdin stays open: busybox nc -l quits when its stdin ends, not when the peer does.
  const server = spawn('ip', ['netns', 'exec', to.host.netns, 'busybox', 'nc', '-l', '-p', port], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const chunks: Buffer[] = [];
  server.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  try {
    const deadline = Date.now() + 5000;
    while (!(await run('ip', ['netns', 'exec', to.host.netns, 'ss', '-Hltn', `sport = :${port}`])).trim()) {
      if (Date.now() > deadline) throw new Error(`nc did not listen in ${to.host.netns}`);
      await sleep(20);
    }
    await run('ip', ['netns', 'exec', from.netns, 'busybox', 'nc', '-w', '3', to.ip, port], {
      input: payload,
      timeoutMs: 10_000,
    }).catch((error: unknown) => {
      throw new Error(`TCP from ${from.netns} to ${to.ip}:${port} failed`, { cause: error });
    });
    await Promise.race([exited, sleep(5000)]);
    return Buffer.concat(chunks).toString();
  } finally {
    if (server.exitCode === null && server.pid !== undefined) process.kill(server.pid, 'SIGKILL');
  }
}
