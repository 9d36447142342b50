// `weir demo` today: a small real scenario on one machine, built only from Weir's own libraries
// and real parts — a real ovs-vswitchd (userspace datapath) in its own namespace, configured over
// OVSDB by @weir/ovsdb, programmed over OpenFlow 1.3 by @weir/openflow (one atomic bundle), two
// hosts (namespaces, as a VM or pod would be) that get their addresses from a real DHCP client
// (busybox udhcpc) answered by a packet-in responder built on @weir/packet, then ping each other
// and the gateway. Every step is timed; everything is removed at the end, also on failure.
// The multi-node lab and the real controller (later issues) replace this scenario.
import { LabHost, OvsInstance, type DhcpLeaseInfo, type PingResult } from '@weir/lab';
import {
  OFPP,
  OpenFlowListener,
  formatFlowStats,
  sendBundle,
  type Envelope,
  type OpenFlowConnection,
} from '@weir/openflow';
import { OvsdbClient, ensureBridge, ensurePort, openVswitchSchema } from '@weir/ovsdb';
import { decodeFrame, encodeFrame } from '@weir/packet';
import { DEMO_COOKIE, demoFlows } from './flows.js';
import { answer } from './responder.js';
import { DEMO_TOPOLOGY, type DemoTopology } from './topology.js';

export interface DemoResult {
  readonly leases: readonly (DhcpLeaseInfo & { readonly host: string })[];
  readonly hostToHost: PingResult;
  readonly hostToGateway: PingResult;
  readonly answered: Readonly<Record<string, number>>;
  readonly packetInErrors: number;
  readonly flows: readonly string[];
  readonly timingsMs: Readonly<Record<string, number>>;
}

export interface DemoOptions {
  readonly log?: (line: string) => void;
  readonly topology?: DemoTopology;
  /** Instance name (namespace wl-<name>); unique per concurrent run. */
  readonly name?: string;
}

export async function runSingleSwitchDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? ((): void => undefined);
  const t = options.topology ?? DEMO_TOPOLOGY;
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const step = (name: string, detail: string): void => {
    const now = performance.now();
    timings[name] = Math.round((now - mark) * 10) / 10;
    mark = now;
    log(`${`[${timings[name]?.toFixed(0)} ms]`.padEnd(10)} ${detail}`);
  };

  const ovs = await OvsInstance.start({ name: options.name ?? `demo${process.pid}` });
  let listener: OpenFlowListener | undefined;
  let ovsdb: OvsdbClient | undefined;
  try {
    step('ovs', `Open vSwitch ${ovs.name} up (netns ${ovs.netns}, userspace datapath)`);

    // The bridge dials the controller: listen first, then create the bridge WITH its controller
    // in one OVSDB transaction (a controller added later would flush the bridge's flows).
    const socket = `unix:${ovs.rundir}/of.sock`;
    listener = new OpenFlowListener(socket);
    await listener.listen();
    const dialled = new Promise<OpenFlowConnection>((resolve) => listener?.once('switch', resolve));
    ovsdb = await OvsdbClient.connect({ target: ovs.dbTarget });
    const db = ovsdb.database(openVswitchSchema);
    await ensureBridge(db, {
      name: 'br-int',
      datapathType: 'netdev',
      failMode: 'secure',
      protocols: ['OpenFlow13'],
      controllers: [{ target: socket, maxBackoff: 1000 }],
      datapathId: '000000000000d3e0',
    });
    const conn = await dialled;
    step(
      'bridge',
      `br-int created over OVSDB; switch dpid ${conn.datapathId.toString(16)} connected over OpenFlow 1.3`,
    );

    const hosts: LabHost[] = [];
    for (const h of t.hosts) {
      const host = await LabHost.create(ovs, { name: h.name, mac: h.mac, mtu: t.mtu });
      await ensurePort(db, {
        bridge: 'br-int',
        name: host.portName,
        ofportRequest: h.ofport,
        externalIds: { 'iface-id': `demo-${h.name}`, 'attached-mac': h.mac },
      });
      hosts.push(host);
    }
    step('hosts', `hosts ${t.hosts.map((h) => `${h.name} (${h.mac}, port ${h.ofport})`).join(', ')} plugged`);

    // Packet-ins: decode, answer, packet-out to the port the request came from.
    const answered: Record<string, number> = {};
    let packetInErrors = 0;
    conn.on('message', (env: Envelope) => {
      const m = env.message;
      if (m.type !== 'packet_in') return;
      const inPort = m.match.find((e) => e.field === 'in_port')?.value;
      try {
        const a = answer(t, decodeFrame(m.data));
        if (!a || typeof inPort !== 'number') return;
        answered[a.kind] = (answered[a.kind] ?? 0) + 1;
        conn.send({
          type: 'packet_out',
          bufferId: 0xffffffff,
          inPort: OFPP.CONTROLLER,
          actions: [{ type: 'output', port: inPort }],
          data: Buffer.from(encodeFrame(a.reply)),
        });
      } catch {
        // A frame the responder cannot decode or answer is dropped and counted, never fatal.
        packetInErrors++;
      }
    });
    conn.send({ type: 'set_config', flags: 0, missSendLen: 0xffff });
    const flows = demoFlows(t);
    await sendBundle(conn, flows);
    step('flows', `${flows.length} flows installed in one atomic bundle`);

    const leases = await Promise.all(hosts.map(async (h) => ({ host: h.name, ...(await h.dhcp()) })));
    step(
      'dhcp',
      `udhcpc leases: ${leases.map((l) => `${l.host}=${l.ip}/${l.mask} via ${l.router} mtu ${l.mtu}`).join(', ')}`,
    );

    const [a, b] = hosts;
    const peer = t.hosts[1];
    if (!a || !b || !peer) throw new Error('the demo needs two hosts');
    const hostToHost = await a.ping(peer.ip, 5);
    step(
      'ping',
      `${a.name} -> ${b.name}: ${hostToHost.received}/${hostToHost.transmitted} replies, avg ${hostToHost.avgRttMs ?? '-'} ms`,
    );
    const hostToGateway = await b.ping(t.gatewayIp, 3);
    step(
      'gateway',
      `${b.name} -> gateway ${t.gatewayIp}: ${hostToGateway.received}/${hostToGateway.transmitted} replies (ARP and ICMP answered by the controller)`,
    );

    const parts = await conn.multipart({
      kind: 'flow',
      tableId: 0xff,
      outPort: OFPP.ANY,
      outGroup: 0xffffffff,
      cookie: DEMO_COOKIE,
      cookieMask: 0xffff_0000_0000_0000n,
      match: [],
    });
    const dump = parts
      .flatMap((p) => (p.kind === 'flow' ? p.flows : []))
      .map((f) => formatFlowStats(f, { stats: true }));
    step('dump', 'flow table read back through OpenFlow flow stats');

    return { leases, hostToHost, hostToGateway, answered, packetInErrors, flows: dump, timingsMs: timings };
  } finally {
    ovsdb?.close();
    await listener?.close();
    await ovs.stop();
  }
}
