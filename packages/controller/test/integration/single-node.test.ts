// One chassis on a real ovs-vswitchd: the controller sets br-int up, serves two VMs plugged the
// way Nova/os-vif plugs them, reports them ACTIVE, and real packets show the pipeline works.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  adminActor,
  createContext,
  createNetwork,
  createPort,
  createSubnet,
  type CoreContext,
} from '@weir/core';
import { LabHost, OvsInstance } from '@weir/lab';
import { openStore, type Store } from '@weir/nbdb';
import { LocalController, OvsPlatform } from '../../src/index.js';
import { waitFor } from './harness.js';

const PROJECT = 'a'.repeat(32);

describe('controller on one real ovs-vswitchd', () => {
  let ovs: OvsInstance;
  let store: Store;
  let ctx: CoreContext;
  let controller: LocalController;
  const hosts: LabHost[] = [];

  before(async () => {
    ovs = await OvsInstance.start({ name: `ctl1n${process.pid}` });
    store = await openStore('memory:');
    ctx = createContext(store);
    controller = new LocalController({
      store,
      chassis: 'n1',
      tunnelIp: '192.0.2.1',
      platform: new OvsPlatform({
        ovsdb: ovs.dbTarget,
        bridge: 'br-int',
        openflow: `unix:${ovs.rundir}/weir-of.sock`,
        datapathType: 'netdev',
      }),
      log: (level, message, fields) => {
        if (level !== 'debug') console.log(level, message, JSON.stringify(fields ?? {}));
      },
    });
    await controller.start();
  });

  after(async () => {
    await controller?.stop();
    for (const h of hosts) await h.remove();
    await ovs?.stop();
    await store?.close();
  });

  it('serves two VMs: ACTIVE after the barrier, ping works, a forged source is dropped', async () => {
    const actor = adminActor(PROJECT);
    const net = await createNetwork(ctx, actor, { name: 'blue' });
    // The forged source (.200) lies outside the pool, so it is never a port's own address.
    await createSubnet(ctx, actor, {
      networkId: net.id,
      cidr: '10.0.0.0/24',
      allocationPools: [{ start: '10.0.0.10', end: '10.0.0.99' }],
    });
    const ports = [];
    for (const name of ['a', 'b']) {
      ports.push(await createPort(ctx, actor, { networkId: net.id, name, binding: { hostId: 'n1' } }));
    }
    for (const [i, port] of ports.entries()) {
      const host = await LabHost.create(ovs, { name: `vm${i}`, mac: port.macAddress, mtu: 1450 });
      hosts.push(host);
      await host.addAddress(`${port.fixedIps[0]?.ipAddress}/24`);
      await ovs.vsctl([
        'add-port',
        'br-int',
        host.portName,
        '--',
        'set',
        'interface',
        host.portName,
        `external_ids:iface-id=${port.id}`,
        `external_ids:attached-mac=${port.macAddress}`,
      ]);
    }
    for (const port of ports) {
      await waitFor(`port ${port.name} ACTIVE`, async () =>
        (await store.get('logical_port', port.id))?.status === 'ACTIVE' ? true : undefined,
      );
    }
    const [a, b] = hosts;
    const ping = await a!.ping(ports[1]!.fixedIps[0]!.ipAddress, 3);
    assert.equal(ping.received, 3);
    // A forged source address: the datapath drops it at PortSecurityFromPort.
    await a!.exec('ip', ['addr', 'add', '10.0.0.200/24', 'dev', 'eth0']);
    const forged = await a!
      .exec('ping', ['-c', '2', '-W', '1', '-I', '10.0.0.200', ports[1]!.fixedIps[0]!.ipAddress])
      .then(
        () => 'answered',
        (e: Error) => e.message,
      );
    assert.match(forged, /exit 1/, 'ping exits 1 when no reply came back');
    void b;
  });
});
