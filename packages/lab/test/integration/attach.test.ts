// `weir lab vm add` runs in a different process from the one that owns the lab: it attaches to a
// node, plugs a host in, and exits — leaving the node running and the host owned by the lab.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DEFAULT_LAB_BASE, LabCluster, LabHost, LabNode, OvsInstance } from '../../src/index.js';
import { isAlive } from '../../src/process.js';
import { LAB, startChild } from './child.js';
import { leftovers, NOTHING_LEFT } from './leftovers.js';

interface Report {
  readonly owned: boolean;
  readonly tunnelIp: string;
  readonly controllerSocketPath: string;
  readonly hostNetns: string;
}

describe('attaching to a running lab', () => {
  it('another process plugs a host into a node it does not own; the owner stop() removes it', async () => {
    const name = `la${process.pid}`;
    const cluster = await LabCluster.start({ name, nodes: 1 });
    try {
      const node = cluster.node(1);
      await node.ovs.vsctl(['add-br', 'br-int', '--', 'set', 'bridge', 'br-int', 'datapath_type=netdev']);
      const vswitchd = await node.ovs.vswitchdPid();

      const cli = await startChild<Report>(`
        import { LabHost, LabNode } from ${LAB};
        const node = await LabNode.attach(${JSON.stringify(node.name)});
        const host = await LabHost.create(node.ovs, { name: 'vm1', mac: '02:00:00:00:00:01' });
        await node.ovs.vsctl(['add-port', 'br-int', host.portName]);
        await node.stop(); // not the owner: leaves everything running
        console.log(JSON.stringify({
          owned: node.ovs.owned, tunnelIp: node.tunnelIp,
          controllerSocketPath: node.controllerSocketPath, hostNetns: host.netns,
        }));
      `);
      assert.equal(await cli.exited, 0);
      assert.equal(cli.report.owned, false);
      assert.equal(cli.report.tunnelIp, node.tunnelIp);
      assert.equal(cli.report.controllerSocketPath, node.controllerSocketPath);
      // The CLI's exit (hooks included) took nothing down, and its port is a live device in OVS.
      assert.equal(await node.ovs.vswitchdPid(), vswitchd);
      assert.ok(vswitchd !== undefined && (await isAlive(vswitchd)));
      assert.ok(existsSync(`/run/netns/${cli.report.hostNetns}`));
      assert.ok(Number(await node.ovs.vsctl(['get', 'interface', 'vvm1', 'ofport'])) > 0);

      // The same from this process: handles on the node and on the host, removal by name.
      const attached = await LabNode.attach(node.name);
      assert.equal(attached.ovs.owned, false);
      assert.equal(LabHost.attach(attached.ovs, 'vm1').mac, '02:00:00:00:00:01');
      const vm2 = await LabHost.create(attached.ovs, { name: 'vm2', mac: '02:00:00:00:00:02' });
      assert.equal(await LabHost.removeByName(attached.ovs, 'vm2'), true);
      assert.equal(existsSync(`/run/netns/${vm2.netns}`), false);
      assert.equal(await LabHost.removeByName(attached.ovs, 'vm2'), false);
      await attached.stop();
      assert.ok(await isAlive(vswitchd), 'stop() on an attached handle leaves the node running');
    } finally {
      await cluster.stop();
    }
    // vm1 was recorded under the owner's run directory, so the owner's stop removed it.
    assert.deepEqual(await leftovers(name, DEFAULT_LAB_BASE), NOTHING_LEFT);
  });

  it('refuses to attach to an instance that does not exist', async () => {
    await assert.rejects(OvsInstance.attach(`nothing${process.pid}`), /no OVS instance/);
    await assert.rejects(LabNode.attach(`nothing${process.pid}-n1`), /no OVS instance/);
  });
});
