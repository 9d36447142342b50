// Races between an auto-address subnet's create or delete and a port create by another writer
// (another API replica) on the same store: the port commits after the subnet operation listed
// the network's ports and before it commits. Run on each store driver.
import assert from 'node:assert/strict';
import type { LogicalPort } from '@weir/model';
import type { CommitResult, Store, WriteOp } from '@weir/nbdb';
import {
  createContext,
  createNetwork,
  createPort,
  createSubnet,
  deleteSubnet,
  eui64Address,
  formatIp,
  parsePrefix,
  type Actor,
} from '../../src/index.js';

const ALICE: Actor = { projectId: 'a1'.repeat(16), admin: false };
const slaac = { ipv6RaMode: 'slaac', ipv6AddressMode: 'slaac' } as const;

/**
 * `inner` as a writer sees it that runs `rival` once, just before its next commit that `when`
 * recognises reaches the store: that commit was planned from reads the rival makes stale.
 */
function rivalBefore(
  inner: Store,
  when: (ops: readonly WriteOp[]) => boolean,
  rival: () => Promise<unknown>,
): Store {
  let armed = true;
  const wrapper = Object.create(inner) as Store;
  wrapper.commit = async (ops: readonly WriteOp[]): Promise<CommitResult> => {
    if (armed && when(ops)) {
      armed = false;
      await rival();
    }
    return inner.commit(ops);
  };
  return wrapper;
}

const subnetOp = (kind: 'create' | 'delete') => (ops: readonly WriteOp[]) =>
  ops.some((op) => op.kind === kind && op.table === 'subnet');

function eui64(cidr: string, mac: string): string {
  const prefix = parsePrefix(cidr);
  assert.ok(prefix);
  return formatIp(eui64Address(prefix, mac));
}

export async function portJoinsDuringSubnetCreate(store: Store): Promise<void> {
  const ctx = createContext(store);
  const n = await createNetwork(ctx, ALICE, {});
  await createSubnet(ctx, ALICE, { networkId: n.id, cidr: '10.0.0.0/24' });
  let rivalPort: LogicalPort | undefined;
  const racing = createContext(
    rivalBefore(store, subnetOp('create'), async () => {
      rivalPort = await createPort(ctx, ALICE, { networkId: n.id });
    }),
  );
  const s = await createSubnet(racing, ALICE, { networkId: n.id, cidr: '2001:db8::/64', ...slaac });
  assert.ok(rivalPort);
  const stored = await store.get('logical_port', rivalPort.id);
  assert.deepEqual(
    stored?.fixedIps.filter((f) => f.subnetId === s.id),
    [{ subnetId: s.id, ipAddress: eui64(s.cidr, rivalPort.macAddress) }],
  );
  assert.equal(racing.stats.retries, 1, 'the first attempt lost and the retry saw the port');
}

export async function portJoinsDuringSubnetDelete(store: Store): Promise<void> {
  const ctx = createContext(store);
  const n = await createNetwork(ctx, ALICE, {});
  const s = await createSubnet(ctx, ALICE, { networkId: n.id, cidr: '2001:db8::/64', ...slaac });
  await createPort(ctx, ALICE, { networkId: n.id });
  let rivalPort: LogicalPort | undefined;
  const racing = createContext(
    rivalBefore(store, subnetOp('delete'), async () => {
      rivalPort = await createPort(ctx, ALICE, { networkId: n.id });
      assert.equal(rivalPort.fixedIps.length, 1);
    }),
  );
  await deleteSubnet(racing, ALICE, s.id);
  assert.ok(rivalPort);
  assert.deepEqual((await store.get('logical_port', rivalPort.id))?.fixedIps, []);
  assert.deepEqual(await store.listClaims(`ip:${s.id}`), []);
  assert.equal(await store.count('logical_port', { index: { name: 'subnet', value: s.id } }), 0);
  assert.equal(racing.stats.retries, 1, 'the first attempt lost and the retry saw the port');
}
