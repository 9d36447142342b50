// The Open_vSwitch helpers against a real ovsdb-server + ovs-vswitchd (netdev datapath).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OvsInstance } from '@weir/lab';
import { OvsdbClient } from '../../src/client.js';
import type { RequestOptions } from '../../src/protocol/jsonrpc.js';
import type { WireOperation } from '../../src/transaction/operations.js';
import type { OvsdbDatabase } from '../../src/database.js';
import { openVswitchSchema, type OpenVswitchTables } from '../../src/schemas/open-vswitch.js';
import { ensureBridge, type BridgeSpec } from '../../src/vswitch/ensure-bridge.js';
import { deletePort, ensurePort } from '../../src/vswitch/ensure-port.js';
import { InterfaceWatcher, type InterfaceState } from '../../src/vswitch/interface-watcher.js';
import { eventually } from '../helpers/wait.js';

/** A client that records every transaction it sends, to prove that a no-op wrote nothing. */
class RecordingClient extends OvsdbClient {
  readonly sent: (readonly WireOperation[])[] = [];

  override transact(database: string, operations: readonly WireOperation[], options?: RequestOptions) {
    this.sent.push(operations);
    return super.transact(database, operations, options);
  }

  /** The operation kinds sent since the last call. */
  drain(): string[] {
    return this.sent.splice(0).flatMap((ops) => ops.map((op) => op.op));
  }
}

let ovs: OvsInstance;
let client: RecordingClient;
let db: OvsdbDatabase<OpenVswitchTables>;

before(async () => {
  ovs = await OvsInstance.start();
  client = new RecordingClient({ target: ovs.dbTarget });
  await client.whenConnected(10_000);
  db = client.database(openVswitchSchema);
});
after(async () => {
  client?.close();
  await ovs?.stop();
});

/** `ovs-vsctl get`, with the quotes it puts around some strings removed. */
async function vsctlGet(table: string, record: string, column: string): Promise<string> {
  return (await ovs.vsctl(['get', table, record, column])).trim().replace(/^"(.*)"$/, '$1');
}

function bridgeSpec(overrides: Partial<BridgeSpec> = {}): BridgeSpec {
  return {
    name: 'br-int',
    datapathType: 'netdev',
    failMode: 'secure',
    protocols: ['OpenFlow13'],
    controllers: [{ target: `unix:${join(ovs.rundir, 'of.sock')}`, maxBackoff: 1000, inactivityProbe: 0 }],
    datapathId: '00000000000000ab',
    externalIds: { owner: 'weir-test' },
    ...overrides,
  };
}

describe('ensureBridge', () => {
  it('creates a netdev bridge with its controller in one transaction', async () => {
    const result = await ensureBridge(db, bridgeSpec());
    assert.equal(result.created, true);
    assert.equal(await vsctlGet('bridge', 'br-int', 'datapath_type'), 'netdev');
    assert.equal(await vsctlGet('bridge', 'br-int', 'fail_mode'), 'secure');
    assert.equal(await vsctlGet('bridge', 'br-int', 'protocols'), '[OpenFlow13]');
    assert.equal(await vsctlGet('bridge', 'br-int', 'other_config:datapath-id'), '00000000000000ab');
    assert.equal(await vsctlGet('bridge', 'br-int', 'external_ids:owner'), 'weir-test');
    assert.equal(await vsctlGet('controller', 'br-int', 'target'), `unix:${join(ovs.rundir, 'of.sock')}`);
    assert.equal(await vsctlGet('controller', 'br-int', 'max_backoff'), '1000');
    // ovs-vswitchd picked it up: the bridge answers OpenFlow 1.3 with our datapath id.
    await eventually(async () => /dpid:00000000000000ab/.test(await ovs.ofctl('br-int', 'show')), {
      message: 'bridge up in ovs-vswitchd',
    });
    assert.equal(result.uuid, await vsctlGet('bridge', 'br-int', '_uuid'));
  });

  it('is a no-op the second time: no write, no update seen by a monitor', async () => {
    const replica = db.replica({ Bridge: true, Controller: true });
    try {
      await replica.whenSynced();
      const seen: string[] = [];
      replica.on('change', ({ changes }) => seen.push(...changes.map((c) => `${c.table}:${c.kind}`)));
      const [before] = await db.select('Bridge', [['name', '==', 'br-int']], ['_version', 'controller']);
      client.drain();
      const result = await ensureBridge(db, bridgeSpec());
      assert.deepEqual(client.drain(), ['select', 'select', 'select'], 'one read, no write transaction');
      assert.deepEqual(result, { uuid: result.uuid, created: false, changed: [] });
      const [after] = await db.select('Bridge', [['name', '==', 'br-int']], ['_version', 'controller']);
      assert.equal(after?._version, before?._version, 'the Bridge row was not rewritten');
      // A write would reach the monitor before the reply to our own later request does.
      await client.echo();
      assert.deepEqual(seen, []);
    } finally {
      await replica.close();
    }
  });

  it('changes only what differs and never replaces a matching controller (flows survive)', async () => {
    await eventually(async () => /dpid/.test(await ovs.ofctl('br-int', 'show')), { message: 'bridge up' });
    await ovs.ofctl('br-int', 'add-flow', ['table=0,priority=5,actions=drop']);
    const [before] = await db.select('Bridge', [['name', '==', 'br-int']], ['controller']);
    const result = await ensureBridge(
      db,
      bridgeSpec({
        controllers: [
          { target: `unix:${join(ovs.rundir, 'of.sock')}`, maxBackoff: 2000, inactivityProbe: 0 },
        ],
        externalIds: { extra: 'yes' },
      }),
    );
    assert.equal(result.created, false);
    assert.deepEqual([...result.changed].sort(), [
      `Controller(unix:${join(ovs.rundir, 'of.sock')}).max_backoff`,
      'external_ids',
    ]);
    const [after] = await db.select('Bridge', [['name', '==', 'br-int']], ['controller', 'external_ids']);
    assert.deepEqual([...(after?.controller ?? [])], [...(before?.controller ?? [])], 'same Controller row');
    assert.equal(after?.external_ids.get('owner'), 'weir-test', 'external_ids are merged, not replaced');
    assert.equal(after?.external_ids.get('extra'), 'yes');
    assert.equal(await vsctlGet('controller', 'br-int', 'max_backoff'), '2000');
    assert.match(await ovs.ofctl('br-int', 'dump-flows'), /priority=5 actions=drop/);
  });

  it('lets two concurrent calls create exactly one bridge', async () => {
    const other = await OvsdbClient.connect({ target: ovs.dbTarget });
    try {
      const spec = bridgeSpec({ name: 'br-race', datapathId: '00000000000000cd' });
      const results = await Promise.all([
        ensureBridge(db, spec),
        ensureBridge(other.database(openVswitchSchema), spec),
      ]);
      assert.deepEqual(results.map((r) => r.created).sort(), [false, true]);
      assert.equal(results[0]?.uuid, results[1]?.uuid);
      const names = (await ovs.vsctl(['list-br'])).split('\n').filter((n) => n === 'br-race');
      assert.equal(names.length, 1);
    } finally {
      other.close();
    }
  });
});

describe('ensurePort / deletePort', () => {
  it('creates flow-based geneve and vxlan tunnel ports', async () => {
    for (const type of ['geneve', 'vxlan'] as const) {
      const name = `${type}-sys`;
      const result = await ensurePort(db, {
        bridge: 'br-int',
        name,
        type,
        options: { remote_ip: 'flow', key: 'flow' },
      });
      assert.equal(result.created, true);
      assert.equal(await vsctlGet('interface', name, 'type'), type);
      assert.equal(await vsctlGet('interface', name, 'options'), '{key=flow, remote_ip=flow}');
      assert.match(await ovs.vsctl(['list-ports', 'br-int']), new RegExp(`^${name}$`, 'm'));
      const ofport = await eventually(async () => Number(await vsctlGet('interface', name, 'ofport')) > 0);
      assert.ok(ofport);
    }
  });

  it('creates an internal port with iface-id, ofport and MTU requests; then is a no-op; then updates', async () => {
    const spec = {
      bridge: 'br-int',
      name: 'vm1-tap',
      type: 'internal',
      externalIds: { 'iface-id': 'vm1' },
      ofportRequest: 42,
      mtuRequest: 1400,
    } as const;
    assert.equal((await ensurePort(db, spec)).created, true);
    await eventually(async () => (await vsctlGet('interface', 'vm1-tap', 'ofport')) === '42', {
      message: 'ofport 42',
    });
    assert.equal(await vsctlGet('interface', 'vm1-tap', 'external_ids:iface-id'), 'vm1');
    assert.equal(await vsctlGet('interface', 'vm1-tap', 'mtu_request'), '1400');
    client.drain();
    assert.deepEqual((await ensurePort(db, spec)).changed, []);
    assert.deepEqual(client.drain(), ['select', 'select', 'select'], 'one read, no write transaction');
    const updated = await ensurePort(db, { ...spec, mtuRequest: 1300, externalIds: { owner: 'x' } });
    assert.deepEqual([...updated.changed].sort(), ['external_ids', 'mtu_request']);
    assert.equal(await vsctlGet('interface', 'vm1-tap', 'mtu_request'), '1300');
    assert.equal(await vsctlGet('interface', 'vm1-tap', 'external_ids:iface-id'), 'vm1', 'merged');
  });

  it('moves a port to another bridge, and deletes ports idempotently', async () => {
    await ensurePort(db, { bridge: 'br-int', name: 'patch-a', type: 'patch', options: { peer: 'patch-b' } });
    const moved = await ensurePort(db, {
      bridge: 'br-race',
      name: 'patch-a',
      type: 'patch',
      options: { peer: 'patch-b' },
    });
    assert.deepEqual(moved.changed, ['bridge']);
    assert.equal((await ovs.vsctl(['port-to-br', 'patch-a'])).trim(), 'br-race');
    assert.equal(await deletePort(db, { name: 'patch-a', bridge: 'br-race' }), true);
    assert.equal(await deletePort(db, { name: 'patch-a' }), false);
    assert.doesNotMatch(await ovs.vsctl(['list-ports', 'br-race']), /patch-a/);
    assert.equal(
      (await db.select('Interface', [['name', '==', 'patch-a']])).length,
      0,
      'interface collected',
    );
  });
});

describe('InterfaceWatcher', () => {
  it('sees iface-id and ofport appear for a port added by ovs-vsctl, and the removal', async () => {
    const watcher = new InterfaceWatcher(db);
    try {
      await watcher.whenSynced();
      assert.ok(watcher.byIfaceId('vm1').length === 1, 'existing interfaces are listed');
      const added: InterfaceState[] = [];
      const changed: InterfaceState[] = [];
      const removed: InterfaceState[] = [];
      watcher.on('added', (s) => added.push(s));
      watcher.on('changed', (s) => changed.push(s));
      watcher.on('removed', (s) => removed.push(s));

      await ovs.vsctl(['add-port', 'br-int', 'plain0', '--', 'set', 'interface', 'plain0', 'type=internal']);
      await ovs.vsctl([
        'add-port',
        'br-int',
        'pod1',
        '--',
        'set',
        'interface',
        'pod1',
        'type=internal',
        'external_ids:iface-id=pod-1',
      ]);
      const ready = await eventually(() => watcher.byIfaceId('pod-1').find((s) => s.ofportValid), {
        message: 'ofport',
      });
      assert.equal(ready.name, 'pod1');
      assert.ok((ready.ofport ?? 0) > 0);
      assert.match(ready.macInUse ?? '', /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      assert.deepEqual(
        added.map((s) => s.ifaceId),
        ['pod-1'],
        'only interfaces with an iface-id',
      );
      // Level-triggered: the latest event carries the current state.
      const latest = [...added, ...changed].filter((s) => s.ifaceId === 'pod-1').at(-1);
      assert.equal(latest?.ofport, ready.ofport);

      // A port whose device cannot be opened: ofport -1 and an error.
      await ovs.vsctl([
        'add-port',
        'br-int',
        'nodev0',
        '--',
        'set',
        'interface',
        'nodev0',
        'external_ids:iface-id=broken',
      ]);
      const broken = await eventually(() => watcher.byIfaceId('broken').find((s) => s.ofport === -1), {
        message: 'ofport -1',
      });
      assert.equal(broken.ofportValid, false);
      assert.match(broken.error ?? '', /nodev0/);

      await ovs.vsctl(['del-port', 'br-int', 'pod1']);
      await eventually(() => removed.some((s) => s.ifaceId === 'pod-1'), { message: 'removed' });
      assert.deepEqual(watcher.byIfaceId('pod-1'), []);

      // Removing the key (not the row) also counts as removed.
      await ovs.vsctl(['remove', 'interface', 'nodev0', 'external_ids', 'iface-id']);
      await eventually(() => removed.some((s) => s.ifaceId === 'broken'));
    } finally {
      await watcher.close();
    }
  });
});
