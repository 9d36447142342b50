// The whole controller (subscription, engine, installer, port status) on the fake switch: no
// root, no OVS, so it runs with the unit tests. The fake applies flow-mods as ovs-vswitchd does
// and traces packets, so these tests check outcomes: where a packet goes.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  adminActor,
  createContext,
  createNetwork,
  createPort,
  createSubnet,
  deletePort,
  registerChassis,
  updatePort,
  type CoreContext,
} from '@weir/core';
import type { LogicalPort, LogicalSwitch } from '@weir/model';
import { openStore, type Store } from '@weir/nbdb';
import { flowMod, parseFlow } from '@weir/openflow';
import { FAKE_TUNNEL_PORTS, FakePlatform, LocalController, makePacket, parseCookie } from '../src/index.js';

const actor = adminActor('d'.repeat(32));

/** `store` whose reads of ports and networks answer `ms` late (writes and watches as they are). */
function delayedReads(store: Store, ms: number): Store {
  const late = <T>(value: Promise<T>): Promise<T> =>
    value.then((v) => new Promise<T>((r) => setTimeout(() => r(v), ms)));
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if ((prop !== 'get' && prop !== 'list') || typeof value !== 'function') return value;
      return (table: string, ...rest: unknown[]): Promise<unknown> => {
        const answer = (value as (...args: unknown[]) => Promise<unknown>).call(target, table, ...rest);
        return table === 'chassis' ? answer : late(answer);
      };
    },
  });
}

const ip = (p: LogicalPort): string => p.fixedIps[0]?.ipAddress ?? '';

/** An ICMP echo from port `from` (plugged at OpenFlow port 1) to port `to`. */
function icmpFromPort1(from: LogicalPort, to: LogicalPort): ReturnType<typeof makePacket> {
  return makePacket({
    in_port: 1,
    kind: 'icmp',
    eth_src: from.macAddress,
    eth_dst: to.macAddress,
    ip_src: ip(from),
    ip_dst: ip(to),
  });
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('controller on the fake switch', () => {
  let store: Store;
  let ctx: CoreContext;
  let platform: FakePlatform;
  let controller: LocalController;
  let net: LogicalSwitch;

  beforeEach(async () => {
    store = await openStore(`memory:fake-${Math.random()}`);
    ctx = createContext(store);
    platform = new FakePlatform();
    controller = new LocalController({ store, chassis: 'n1', tunnelIp: '192.0.2.1', platform });
    await controller.start();
    net = await createNetwork(ctx, actor, { name: 'blue', networkType: 'geneve', segmentationId: 5000 });
    await createSubnet(ctx, actor, { networkId: net.id, cidr: '10.5.0.0/16' });
  });
  afterEach(async () => {
    await controller.stop();
    await store.close();
  });

  const status = async (p: LogicalPort): Promise<string | undefined> =>
    (await store.get('logical_port', p.id))?.status;
  async function localPort(
    name: string,
    ofport: number,
    extra: Partial<Parameters<typeof createPort>[2]> = {},
  ) {
    const port = await createPort(ctx, actor, {
      networkId: net.id,
      name,
      binding: { hostId: 'n1' },
      ...extra,
    });
    platform.plug(port.id, ofport);
    await until(`${name} ACTIVE`, async () => (await status(port)) === 'ACTIVE');
    return port;
  }

  it('a plugged port is ACTIVE only once its flows are on the switch; unplugged, it is DOWN', async () => {
    const port = await createPort(ctx, actor, { networkId: net.id, name: 'a', binding: { hostId: 'n1' } });
    assert.equal(await status(port), 'DOWN');
    platform.plug(port.id, 1);
    await until('ACTIVE', async () => (await status(port)) === 'ACTIVE');
    // At that moment the switch has the port's flows: its in_port is classified.
    const owned = platform.switch.flows().filter((f) => parseCookie(f.cookie)?.owner.key === port.uniqueKey);
    assert.ok(owned.length >= 5, `the port's flows are installed (${owned.length})`);
    platform.unplug(port.id);
    await until('DOWN', async () => (await status(port)) === 'DOWN');
    await controller.settled();
    assert.equal(
      platform.switch.flows().filter((f) => parseCookie(f.cookie)?.owner.kind === 'port').length,
      0,
    );
  });

  it('traces: local delivery, ARP answered in place, remote unicast tunnelled, broadcast replicated', async () => {
    const a = await localPort('a', 1);
    const b = await localPort('b', 2);
    // A remote chassis with a port on the network.
    await registerChassis(ctx, { name: 'n2', tunnelIp: '192.0.2.2', tunnelTypes: ['geneve'] }, undefined);
    const c = await createPort(ctx, actor, { networkId: net.id, name: 'c', binding: { hostId: 'n2' } });
    await until('remote port known', () => controller.desiredFlows().has(`port:${c.uniqueKey}`));
    await controller.settled();

    const toB = platform.switch.trace(icmpFromPort1(a, b));
    assert.deepEqual(
      toB.outputs.map((o) => o.port),
      [2],
    );

    const arp = platform.switch.trace(
      makePacket({
        in_port: 1,
        kind: 'arp',
        eth_src: a.macAddress,
        eth_dst: 'ff:ff:ff:ff:ff:ff',
        arp_spa: ip(a),
        arp_tpa: ip(c),
      }),
    );
    assert.equal(arp.outputs.length, 1);
    const reply = arp.outputs[0];
    assert.equal(reply?.port, 1, 'out of the port it came from (IN_PORT)');
    assert.equal(reply?.packet.eth_src, c.macAddress);
    assert.equal(reply?.packet.arp_op, 2);
    assert.equal(reply?.packet.arp_spa, ip(c));
    assert.equal(reply?.packet.arp_tpa, ip(a));

    const toC = platform.switch.trace(icmpFromPort1(a, c));
    assert.equal(toC.outputs.length, 1);
    assert.equal(toC.outputs[0]?.port, FAKE_TUNNEL_PORTS.geneve);
    assert.equal(toC.outputs[0]?.packet.tun_dst, '192.0.2.2');
    assert.equal(toC.outputs[0]?.packet.tun_id, 5000n);

    const flood = platform.switch.trace(
      makePacket({
        in_port: 1,
        kind: 'arp',
        eth_src: a.macAddress,
        eth_dst: 'ff:ff:ff:ff:ff:ff',
        arp_spa: ip(a),
        arp_tpa: '10.99.0.1',
      }),
    );
    assert.deepEqual(flood.outputs.map((o) => o.port).sort(), [2, FAKE_TUNNEL_PORTS.geneve].sort());

    // From the tunnel, a broadcast reaches the local ports only (never back to a tunnel).
    const fromTunnel = platform.switch.trace(
      makePacket({
        in_port: FAKE_TUNNEL_PORTS.geneve,
        tun_src: '192.0.2.2',
        tun_id: 5000n,
        kind: 'arp',
        eth_src: c.macAddress,
        eth_dst: 'ff:ff:ff:ff:ff:ff',
        arp_spa: ip(c),
        arp_tpa: '10.99.0.1',
      }),
    );
    assert.deepEqual(fromTunnel.outputs.map((o) => o.port).sort(), [1, 2]);
    // A tunnel packet from an address that is not a chassis is dropped at the classifier.
    const stranger = platform.switch.trace(
      makePacket({
        in_port: FAKE_TUNNEL_PORTS.geneve,
        tun_src: '192.0.2.99',
        tun_id: 5000n,
        kind: 'arp',
        eth_src: c.macAddress,
        eth_dst: 'ff:ff:ff:ff:ff:ff',
      }),
    );
    assert.equal(stranger.dropped, true);
    // Spoofed source address: dropped at port security.
    const spoof = platform.switch.trace(
      makePacket({
        in_port: 1,
        kind: 'icmp',
        eth_src: a.macAddress,
        eth_dst: b.macAddress,
        ip_src: '10.66.0.1',
        ip_dst: ip(b),
      }),
    );
    assert.equal(spoof.dropped, true);
  });

  it('a remote chassis that goes away takes its tunnel flows with it', async () => {
    await localPort('a', 1);
    const n2 = await registerChassis(
      ctx,
      { name: 'n2', tunnelIp: '192.0.2.2', tunnelTypes: ['geneve'] },
      undefined,
    );
    const c = await createPort(ctx, actor, { networkId: net.id, name: 'c', binding: { hostId: 'n2' } });
    await until('remote', () => controller.desiredFlows().has(`port:${c.uniqueKey}`));
    await store.commit([{ kind: 'delete', table: 'chassis', id: n2.id }]);
    await until(
      'gone',
      () =>
        !controller.desiredFlows().has(`port:${c.uniqueKey}`) &&
        !controller.desiredFlows().has(`chassis:${n2.uniqueKey}`),
    );
    await controller.settled();
    const tunnelOutputs = platform.switch
      .flows()
      .filter((f) =>
        JSON.stringify(f.instructions, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).includes(
          '192.0.2.2',
        ),
      );
    assert.equal(tunnelOutputs.length, 0);
  });

  it('a restart installs everything under a new generation, then sweeps the old one and unused groups; hand-made flows stay', async () => {
    const a = await localPort('a', 1);
    await localPort('b', 2);
    await controller.settled();
    // A hand-made flow (cookie 0) and a stale group of a vanished network.
    platform.switch.apply([
      flowMod({ tableId: 0, priority: 7, match: parseFlow('in_port=99 actions=drop').match }),
    ]);
    platform.switch.apply([
      { type: 'group_mod', command: 'add', groupType: 'all', groupId: 77, buckets: [] },
    ]);
    const before = platform.switch.snapshot();
    await controller.stop({ unregister: false });
    // Changed while no controller ran: port a is deleted.
    await deletePort(ctx, actor, a.id);
    controller = new LocalController({ store, chassis: 'n1', tunnelIp: '192.0.2.1', platform });
    await controller.start();
    await until('synced', () => controller.isReady);
    await controller.settled();
    assert.equal(controller.generation, 2);
    const gens = new Set(platform.switch.flows().map((f) => parseCookie(f.cookie)?.generation ?? 0));
    assert.deepEqual([...gens].sort(), [0, 2], 'only the hand-made flow and generation 2 remain');
    assert.equal(
      platform.switch
        .flows()
        .filter(
          (f) =>
            parseCookie(f.cookie)?.owner.key === a.uniqueKey && parseCookie(f.cookie)?.owner.kind === 'port',
        ).length,
      0,
    );
    assert.ok(!platform.switch.groups().some((g) => g.groupId === 77), 'the unused group was removed');
    assert.notEqual(platform.switch.snapshot(), before);
  });

  it('a restart that reads its networks slowly keeps the old flows until it has them: no gap', async () => {
    const a = await localPort('a', 1);
    await registerChassis(ctx, { name: 'n2', tunnelIp: '192.0.2.2', tunnelTypes: ['geneve'] }, undefined);
    const c = await createPort(ctx, actor, { networkId: net.id, name: 'c', binding: { hostId: 'n2' } });
    await until('remote port known', () => controller.desiredFlows().has(`port:${c.uniqueKey}`));
    await controller.settled();
    const reachesC = (): boolean =>
      platform.switch.trace(icmpFromPort1(a, c)).outputs.some((o) => o.port === FAKE_TUNNEL_PORTS.geneve);
    assert.ok(reachesC());
    // An interface whose iface-id names no port: looked up and absent, it must not hold the sweep.
    platform.plug('0'.repeat(32), 9);
    await controller.stop({ unregister: false });

    // The new run's switch connects at once, while its store reads of ports and networks take
    // 300 ms (etcd under load): the first full sync knows port a but not yet c.
    controller = new LocalController({
      store: delayedReads(store, 300),
      chassis: 'n1',
      tunnelIp: '192.0.2.1',
      platform,
    });
    let samples = 0;
    let gaps = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples++;
        if (!reachesC()) gaps++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    let heldAtSync: boolean;
    try {
      await controller.start();
      await until('synced', () => controller.isReady);
      heldAtSync = controller.stats().sweepPending;
      await until('swept', () => !controller.stats().sweepPending, 10_000);
      await controller.settled();
    } finally {
      sampling = false;
      await sampler;
    }
    assert.ok(samples > 10, `sampled ${samples} times`);
    assert.equal(gaps, 0, `a→c had no path in ${gaps} of ${samples} samples`);
    assert.equal(heldAtSync, true, 'the sweep waited for the whole view');
    const gens = new Set(platform.switch.flows().map((f) => parseCookie(f.cookie)?.generation ?? 0));
    assert.deepEqual([...gens], [2], 'then only generation 2 remains');
  });

  it('an ovs-vswitchd restart (empty switch) is replayed to the same tables', async () => {
    await localPort('a', 1);
    await localPort('b', 2);
    await controller.settled();
    const before = platform.switch.snapshot();
    platform.switch.restart();
    assert.equal(platform.switch.flowCount, 0);
    await platform.reconnect();
    await until('synced again', () => controller.isReady && platform.switch.flowCount > 0);
    await controller.settled();
    assert.equal(platform.switch.snapshot(), before);
  });

  it('a burst of 400 port changes is installed in a few bundles, not one per change', async () => {
    await localPort('seed', 1);
    await controller.settled();
    const bundles = controller.stats().installer.bundles;
    const ports = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        createPort(ctx, actor, { networkId: net.id, name: `x${i}`, binding: { hostId: 'n1' } }),
      ),
    );
    ports.forEach((p, i) => platform.plug(p.id, 100 + i));
    await Promise.all(ports.map((p) => updatePort(ctx, actor, p.id, { name: `y-${p.name}` })));
    await until(
      'all ACTIVE',
      async () => (await Promise.all(ports.map(status))).every((s) => s === 'ACTIVE'),
      20_000,
    );
    const used = controller.stats().installer.bundles - bundles;
    assert.ok(used <= 40, `${used} bundles for 400 changes`);
    assert.equal(controller.stats().engine.nodes['flows']?.recomputes, 1, 'only the first run recomputed');
  });
});
