// `weir demo`: Weir end to end on a lab of three nodes on this machine, from real parts only —
// three ovs-vswitchd (userspace datapath, each in its own namespace) joined by an underlay, the
// Neutron API (`weir server`), one local controller per node, all in this process on the
// embedded store. Through the API it creates two networks with the same CIDR (Geneve and VXLAN)
// and ports bound to the nodes, plugs VM stand-ins as Nova/os-vif would, and shows with real
// packets: every VM reaching every other across nodes, the two networks isolated, a forged
// source address dropped at its port, and a controller restarted under a continuous ping with no
// packet lost. Every step is timed; everything is removed at the end, also on failure.
import { loadServerConfig, startServer, type RunningServer } from '@weir/api';
import { decodeFlow, namedFlowText, type LocalController } from '@weir/controller';
import { CommandError, LabCluster, LabHost, readSteadyPing, steadyPingArgs, type LabNode } from '@weir/lab';
import { openStore, type Store } from '@weir/nbdb';
import { labNodeController } from '../lab/node-controller.js';

export interface LabDemoResult {
  readonly ok: boolean;
  readonly nodes: number;
  readonly timingsMs: Readonly<Record<string, number>>;
  readonly pings: readonly {
    readonly from: string;
    readonly to: string;
    readonly received: number;
    readonly sent: number;
  }[];
  readonly isolated: boolean;
  readonly spoofDropped: boolean;
  readonly restart: { readonly sent: number; readonly received: number; readonly generation: number };
  readonly flowsPerNode: readonly number[];
  readonly sampleFlows: readonly string[];
}

export interface LabDemoOptions {
  readonly log?: (line: string) => void;
  /** Lab name (namespaces wl-<name>-…); unique per concurrent run. */
  readonly name?: string;
}

interface Vm {
  readonly name: string;
  readonly node: LabNode;
  readonly host: LabHost;
  readonly port: { id: string; ip: string; mac: string; network: string };
}

async function api<T>(url: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function runLabDemo(options: LabDemoOptions = {}): Promise<LabDemoResult> {
  const log = options.log ?? ((): void => undefined);
  const name = options.name ?? `demo${process.pid % 10000}`;
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const step = (key: string, detail: string): void => {
    const now = performance.now();
    timings[key] = Math.round(now - mark);
    mark = now;
    log(`${`[${timings[key]} ms]`.padEnd(11)} ${detail}`);
  };

  let cluster: LabCluster | undefined;
  let store: Store | undefined;
  let server: RunningServer | undefined;
  const stores: Store[] = [];
  const controllers: LocalController[] = [];
  const vms: Vm[] = [];
  const storeUrl = `memory:${name}`;
  const startController = async (node: LabNode): Promise<LocalController> => {
    const s = await openStore(storeUrl);
    stores.push(s);
    const c = labNodeController(node, s);
    await c.start();
    return c;
  };
  try {
    cluster = await LabCluster.start({ name, nodes: 3 });
    step(
      'nodes',
      `3 nodes up: each its own ovsdb-server + ovs-vswitchd (netns wl-${name}-n1…3), tunnel IPs ${cluster.nodes.map((n) => n.tunnelIp).join(', ')}`,
    );

    store = await openStore(storeUrl);
    const config = loadServerConfig(undefined, {
      db: storeUrl,
      auth: 'none',
      log_level: 'warn',
      listen: { network: '127.0.0.1:0', load_balancer: '127.0.0.1:0', identity: '127.0.0.1:0' },
    });
    server = await startServer(config, { store, processMetrics: false });
    const url = server.urls.network;
    for (const node of cluster.nodes) controllers.push(await startController(node));
    step(
      'control',
      `weir server at ${url} (Neutron API); a controller per node, br-int set up over OVSDB, flows over OpenFlow 1.3`,
    );

    const networks: Record<string, string> = {};
    for (const [net, type] of [
      ['blue', 'geneve'],
      ['red', 'vxlan'],
    ] as const) {
      const n = await api<{ network: { id: string } }>(url, 'POST', '/v2.0/networks', {
        network: { name: net, 'provider:network_type': type },
      });
      await api(url, 'POST', '/v2.0/subnets', {
        // The pool stops at .99 so that the forged source below (.250) is never a port's own.
        subnet: {
          network_id: n.network.id,
          cidr: '10.10.0.0/24',
          ip_version: 4,
          allocation_pools: [{ start: '10.10.0.10', end: '10.10.0.99' }],
        },
      });
      networks[net] = n.network.id;
    }
    const plan: [string, string, number][] = [
      ['blue1', 'blue', 1],
      ['blue2', 'blue', 2],
      ['blue3', 'blue', 3],
      ['red1', 'red', 1],
      ['red3', 'red', 3],
    ];
    for (const [vmName, net, nodeIndex] of plan) {
      const r = await api<{ port: { id: string; mac_address: string; fixed_ips: { ip_address: string }[] } }>(
        url,
        'POST',
        '/v2.0/ports',
        { port: { network_id: networks[net], name: vmName, 'binding:host_id': `n${nodeIndex}` } },
      );
      const node = cluster.node(nodeIndex);
      const host = await LabHost.create(node.ovs, {
        name: vmName,
        mac: r.port.mac_address,
        mtu: node.overlayMtu,
      });
      const ip = r.port.fixed_ips[0]?.ip_address ?? '';
      await host.addAddress(`${ip}/24`);
      await node.ovs.vsctl([
        ...['add-port', 'br-int', host.portName, '--', 'set', 'interface', host.portName],
        `external_ids:iface-id=${r.port.id}`,
        `external_ids:attached-mac=${r.port.mac_address}`,
      ]);
      vms.push({
        name: vmName,
        node,
        host,
        port: { id: r.port.id, ip, mac: r.port.mac_address, network: net },
      });
    }
    step(
      'api',
      `through the API: networks blue (Geneve) and red (VXLAN), both 10.10.0.0/24; 5 ports bound to n1–n3; VMs plugged as Nova/os-vif plug them`,
    );

    const deadline = Date.now() + 30_000;
    for (const vm of vms) {
      for (;;) {
        const p = await api<{ port: { status: string } }>(url, 'GET', `/v2.0/ports/${vm.port.id}`);
        if (p.port.status === 'ACTIVE') break;
        if (Date.now() > deadline) throw new Error(`port ${vm.name} did not become ACTIVE`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    step(
      'active',
      'every port ACTIVE: each controller acknowledged its flows with an OpenFlow barrier before reporting',
    );

    const pings: LabDemoResult['pings'][number][] = [];
    for (const a of vms) {
      for (const b of vms) {
        if (a === b || a.port.network !== b.port.network) continue;
        const r = await a.host.ping(b.port.ip, 2);
        pings.push({ from: a.name, to: b.name, sent: r.transmitted, received: r.received });
      }
    }
    step(
      'ping',
      `ping matrix inside each network: ${pings.map((p) => `${p.from}→${p.to} ${p.received}/${p.sent}`).join(', ')}`,
    );

    const blue1 = vms[0] as Vm;
    const redOnly = vms
      .filter((v) => v.port.network === 'red')
      .find((v) => !vms.some((b) => b.port.network === 'blue' && b.port.ip === v.port.ip));
    const isolated =
      redOnly === undefined ? true : (await blue1.host.ping(redOnly.port.ip, 2, 3)).received === 0;
    await blue1.host.exec('ip', ['addr', 'add', '10.10.0.250/24', 'dev', 'eth0']);
    const spoofed = await blue1.host
      .exec('ping', ['-c', '2', '-W', '1', '-I', '10.10.0.250', (vms[1] as Vm).port.ip])
      .then(
        () => false,
        () => true,
      );
    await blue1.host.exec('ip', ['addr', 'del', '10.10.0.250/24', 'dev', 'eth0']);
    step(
      'policy',
      `same CIDR, no leak: blue1 → red3's address ${isolated ? 'unreachable' : 'REACHED'}; a forged source address from blue1: ${spoofed ? 'dropped at its port' : 'PASSED'}`,
    );

    // A controller restart under traffic: flows stay in the switch, the new run installs under a
    // new generation and sweeps the old one; not a packet is lost.
    const target = (vms[1] as Vm).port.ip;
    const probes = 150;
    const pinging = blue1.host
      .exec('ping', steadyPingArgs(target, probes, 0.02), 30_000)
      // A ping that failed still printed the replies it got (they say which were lost).
      .catch((e: unknown) => (e instanceof CommandError ? e.stdout : ''));
    await new Promise((r) => setTimeout(r, 600));
    const old = controllers[1] as LocalController;
    await old.stop({ unregister: false });
    await new Promise((r) => setTimeout(r, 500));
    controllers[1] = await startController(cluster.node(2));
    const replies = readSteadyPing(await pinging, probes);
    const restart = {
      sent: replies.count,
      received: replies.answered,
      generation: controllers[1].generation,
    };
    step(
      'restart',
      `n2's controller stopped and started again under a 50 pps ping: ${restart.received}/${restart.sent} replies (generation ${restart.generation}, old flows swept after the new ones were in)`,
    );

    await Promise.all(controllers.map((c) => c.settled()));
    const flowsPerNode = controllers.map((c) => c.stats().desiredFlows);
    const owner = controllers[0]?.desiredFlows().get(`port:${await portKey(store, blue1.port.id)}`);
    const sampleFlows = (owner?.flows ?? []).slice(0, 6).map((f) => namedFlowText(decodeFlow(f)));
    step(
      'flows',
      `flows per node: ${flowsPerNode.join(', ')}; blue1's own flows on n1 (by table name, owner in the cookie):`,
    );
    for (const f of sampleFlows) log(`             ${f}`);

    const ok =
      pings.every((p) => p.received === p.sent && p.sent > 0) &&
      isolated &&
      spoofed &&
      restart.received === restart.sent &&
      restart.sent > 0;
    return {
      ok,
      nodes: 3,
      timingsMs: timings,
      pings,
      isolated,
      spoofDropped: spoofed,
      restart,
      flowsPerNode,
      sampleFlows,
    };
  } finally {
    for (const c of controllers) await c.stop().catch(() => undefined);
    for (const vm of vms) await vm.host.remove().catch(() => undefined);
    await server?.close().catch(() => undefined);
    for (const s of stores) await s.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    await cluster?.stop();
  }
}

async function portKey(store: Store | undefined, id: string): Promise<number> {
  return (await store?.get('logical_port', id))?.uniqueKey ?? -1;
}
