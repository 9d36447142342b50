// A store client in its own process, for the lease test: it binds a chassis to a 2-second lease,
// prints the chassis id and waits to be killed (keeping the lease alive until then).
//   node --import tsx lease-holder.ts <endpoint> <prefix>
import { openEtcdStore } from '../../src/etcd/index.js';
import { fx } from '../conformance/fixtures.js';

const [endpoint, prefix] = process.argv.slice(2);
const store = await openEtcdStore({ endpoints: [endpoint ?? ''], prefix: prefix ?? '' });
const lease = await store.grantLease(2);
const chassis = fx.chassis();
await store.commit([{ kind: 'create', table: 'chassis', object: chassis, lease: lease.id }]);
process.stdout.write(`${JSON.stringify({ id: chassis.id, lease: lease.id })}\n`);
setInterval(() => undefined, 60_000);
