// Child process of file-crash.test.ts: opens a file store and writes as fast as it can with four
// concurrent writers until it is killed, printing each acknowledged write on stdout (synchronous
// on Linux pipes, so a printed line means the commit had resolved). Never run as a test itself.
//
//   node --import tsx crash-writer.ts DIR NETWORK_ID
//   stdout: ready | create ID REV KEY CLAIM | update ID REV | deleting ID | delete ID REV
// ("deleting" comes before the commit: a delete killed in flight may or may not have happened.)
import { randomUUID } from 'node:crypto';
import type { LogicalPort } from '@weir/model';
import { openStore } from '../../src/open.js';
import { fx } from '../conformance/fixtures.js';

const [dir = '', networkId = ''] = process.argv.slice(2);
if (!dir || !networkId) throw new Error('usage: crash-writer.ts DIR NETWORK_ID');

// A tiny log and key block: rotations and key reservations happen all the time, so kills land
// in the middle of them too.
const store = await openStore(`file:${dir}`, { file: { maxWalBytes: 32 * 1024, uniqueKeyBlock: 16 } });
console.log('ready');

async function writer(w: number): Promise<never> {
  const mine: LogicalPort[] = [];
  for (let i = 0; ; i++) {
    if (i % 7 === 6 && mine.length > 0) {
      const victim = mine.shift() as LogicalPort;
      console.log(`deleting ${victim.id}`);
      const { revision } = await store.commit([
        { kind: 'delete', table: 'logical_port', id: victim.id, expectedVersion: victim.version },
        { kind: 'release', namespace: 'crash', key: victim.dnsName, owner: victim.id },
      ]);
      console.log(`delete ${victim.id} ${revision}`);
    } else if (i % 5 === 4 && mine.length > 0) {
      const port = mine.pop() as LogicalPort;
      const { revision, written } = await store.commit([
        { kind: 'update', table: 'logical_port', object: { ...port, status: 'ACTIVE', deviceId: `d${i}` } },
      ]);
      mine.push(written[0] as LogicalPort);
      console.log(`update ${port.id} ${revision}`);
    } else {
      const uniqueKey = await store.allocateUniqueKey('logical_port');
      const claim = `${w}-${i}-${randomUUID().slice(0, 8)}`;
      const port = fx.port({ networkId, uniqueKey, dnsName: claim });
      const { revision, written } = await store.commit([
        { kind: 'create', table: 'logical_port', object: port },
        { kind: 'claim', namespace: 'crash', key: claim, owner: port.id },
      ]);
      mine.push(written[0] as LogicalPort);
      console.log(`create ${port.id} ${revision} ${uniqueKey} ${claim}`);
    }
  }
}

await Promise.all([0, 1, 2, 3].map(writer));
