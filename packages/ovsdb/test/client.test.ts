// OvsdbClient and Replica against a scripted server: reconnect with backoff, locks across
// reconnects, and the replica's monitor_cond_since resync — including found=true, which a
// standalone ovsdb-server never answers, and bad updates that force a full resync.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { Backoff } from '../src/backoff.js';
import { OvsdbClient } from '../src/client.js';
import { parseSchema } from '../src/data/schema-parser.js';
import type { GenericRow } from '../src/data/schema.js';
import { toPlain } from '../src/data/values.js';
import { ZERO_UUID } from '../src/data/wire.js';
import { OvsdbError } from '../src/errors.js';
import type { ChangeBatch } from '../src/replica/replica.js';
import { FakeClock } from './helpers/fake-clock.js';
import {
  FakeOvsdbServer,
  NO_REPLY,
  defaultHandler,
  type FakeSession,
  type Handler,
} from './helpers/fake-server.js';
import { eventually } from './helpers/wait.js';

const SCHEMA = parseSchema({
  name: 'Test',
  version: '1.0.0',
  tables: {
    Port: {
      columns: {
        name: { type: 'string' },
        tags: { type: { key: 'integer', min: 0, max: 'unlimited' } },
        external_ids: { type: { key: 'string', value: 'string', min: 0, max: 'unlimited' } },
      },
    },
  },
});
type PortBatch = ChangeBatch<{ readonly Port: GenericRow }>;

const U1 = '11111111-1111-4111-8111-111111111111';
const U2 = '22222222-2222-4222-8222-222222222222';
const U3 = '33333333-3333-4333-8333-333333333333';
const T1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const T2 = 'aaaaaaaa-0000-4000-8000-000000000002';
const T3 = 'aaaaaaaa-0000-4000-8000-000000000003';

let server: FakeOvsdbServer;
const clients: OvsdbClient[] = [];

before(async () => {
  server = await FakeOvsdbServer.start();
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
after(async () => {
  await server.close();
});

function newClient(): OvsdbClient {
  const client = new OvsdbClient({
    target: server.target,
    probeIntervalMs: 0,
    reconnect: { initialDelayMs: 10, maxDelayMs: 50, jitter: 0 },
  });
  clients.push(client);
  return client;
}

function monitorHandler(
  replies: (request: { params: readonly unknown[] }, sessionIndex: number) => unknown,
): Handler {
  return (request, session) => {
    if (request.method === 'monitor_cond_since') return replies(request, server.sessions.indexOf(session));
    if (request.method === 'monitor_cancel') return {};
    return defaultHandler(request, session);
  };
}

describe('Backoff', () => {
  it('grows exponentially to the cap, applies jitter, and resets', () => {
    const backoff = new Backoff({ initialDelayMs: 100, maxDelayMs: 1000, jitter: 0 });
    assert.deepEqual(
      Array.from({ length: 6 }, () => backoff.next()),
      [100, 200, 400, 800, 1000, 1000],
    );
    backoff.reset();
    assert.equal(backoff.next(), 100);
    const jittered = new Backoff({ initialDelayMs: 100, jitter: 0.5, random: () => 1 });
    assert.equal(jittered.next(), 50);
  });
});

describe('OvsdbClient', () => {
  it('retries with backoff on an injected clock until closed', async () => {
    const clock = new FakeClock();
    const attempts: number[] = [];
    const client = new OvsdbClient({
      target: 'unix:/nowhere',
      clock,
      reconnect: { initialDelayMs: 100, maxDelayMs: 400, jitter: 0 },
      transport: () => {
        attempts.push(clock.now());
        return Promise.reject(new OvsdbError('OVSDB_CONNECT_FAILED', 'refused'));
      },
    });
    const failures: OvsdbError[] = [];
    client.on('connectFailed', (e) => failures.push(e));
    client.start();
    await clock.advance(1500);
    assert.deepEqual(attempts, [0, 100, 300, 700, 1100, 1500]);
    assert.ok(failures.every((e) => e.code === 'OVSDB_CONNECT_FAILED'));
    client.close();
    await clock.advance(5000);
    assert.equal(attempts.length, 6, 'no attempts after close');
  });

  it('connect() rejects with OVSDB_DISCONNECTED when no server comes up in time', async () => {
    await assert.rejects(
      OvsdbClient.connect({ target: 'unix:/nonexistent/db.sock', connectTimeoutMs: 200 }),
      (e: unknown) =>
        e instanceof OvsdbError && e.code === 'OVSDB_DISCONNECTED' && /cannot connect/.test(e.message),
    );
  });

  it('reconnects after the server drops it; requests made meanwhile wait for the new session', async () => {
    server.handler = defaultHandler;
    const client = newClient();
    const events: string[] = [];
    client.on('connected', () => events.push('connected'));
    client.on('disconnected', (reason) => events.push(`disconnected:${reason.code}`));
    await client.whenConnected(2000);
    const first = server.sessions.length - 1;
    const disconnected = client.next('disconnected');
    server.sessions[first]?.close();
    await disconnected;
    assert.equal(client.connection, undefined);
    assert.deepEqual(await client.listDbs(), ['Test']);
    assert.equal(server.sessions.length, first + 2);
    assert.deepEqual(events, ['connected', 'disconnected:OVSDB_DISCONNECTED', 'connected']);
  });

  it('fails an in-flight request with OVSDB_DISCONNECTED rather than retrying it', async () => {
    server.handler = (request, session) =>
      request.method === 'transact' ? NO_REPLY : defaultHandler(request, session);
    const client = newClient();
    await client.whenConnected(2000);
    const session = server.sessions[server.sessions.length - 1];
    const pending = client.transact('Test', [{ op: 'comment', comment: 'x' }]);
    await eventually(() => session?.received.some((r) => r.method === 'transact'));
    session?.close();
    await assert.rejects(pending, (e: unknown) => e instanceof OvsdbError && e.code === 'OVSDB_DISCONNECTED');
  });

  it('re-requests wanted locks after a reconnect and reports locked/stolen', async () => {
    server.handler = (request, session) => {
      if (request.method === 'lock') return { locked: false };
      return defaultHandler(request, session);
    };
    const client = newClient();
    const locked: string[] = [];
    const stolen: string[] = [];
    client.on('locked', (id) => locked.push(id));
    client.on('stolen', (id) => stolen.push(id));
    assert.equal(await client.lock('leader'), false);
    const first = server.sessions.length - 1;
    server.sessions[first]?.send({ id: null, method: 'locked', params: ['leader'] });
    await eventually(() => locked.length === 1);
    server.sessions[first]?.close();
    const second = await server.session(first + 1);
    await eventually(() => second.received.some((r) => r.method === 'lock' && r.params[0] === 'leader'));
    second.send({ id: null, method: 'stolen', params: ['leader'] });
    await eventually(() => stolen.length === 1);
    second.close();
    const third = await server.session(first + 2);
    await client.echo();
    assert.equal(
      third.received.filter((r) => r.method === 'lock').length,
      0,
      'a stolen lock is not re-requested',
    );
  });
});

describe('Replica (scripted server)', () => {
  it('resyncs with found=true from the last txn id, emitting only the changes', async () => {
    const lastIds: unknown[] = [];
    server.handler = monitorHandler((request, index) => {
      lastIds.push(request.params[3]);
      if (index === server.sessions.length - 1 && lastIds.length === 1) {
        return [
          false,
          T1,
          {
            Port: {
              [U1]: { initial: { name: 'p1', tags: ['set', [1]] } },
              [U2]: { initial: { name: 'p2' } },
            },
          },
        ];
      }
      return [
        true,
        T3,
        { Port: { [U1]: { modify: { tags: 2 } }, [U2]: { delete: null }, [U3]: { insert: { name: 'p3' } } } },
      ];
    });
    const client = newClient();
    const replica = client.database(SCHEMA).replica({ Port: true });
    const batches: PortBatch[] = [];
    const synced: boolean[] = [];
    replica.on('change', (batch) => batches.push(batch));
    replica.on('synced', ({ found }) => synced.push(found));
    await replica.whenSynced(2000);
    assert.equal(replica.table('Port').size, 2);
    assert.deepEqual(
      batches[0]?.changes.map((c) => c.kind),
      ['insert', 'insert'],
    );

    const session = server.sessions[server.sessions.length - 1];
    session?.send({
      id: null,
      method: 'update3',
      params: [replica.monitorId, T2, { Port: { [U2]: { modify: { name: 'p2b' } } } }],
    });
    await eventually(() => batches.length === 2);
    assert.equal(replica.table('Port').get(U2)?.['name'], 'p2b');
    assert.equal(replica.lastTransactionId, T2);

    const stale = replica.next('stale');
    session?.close();
    await stale;
    await eventually(() => synced.length === 2, { message: 'resync' });
    assert.deepEqual(lastIds, [ZERO_UUID, T2]);
    assert.deepEqual(synced, [false, true]);
    const resync = batches[2];
    assert.equal(resync?.resync, true);
    assert.deepEqual(
      resync?.changes.map((c) => [c.kind, c.uuid]),
      [
        ['update', U1],
        ['delete', U2],
        ['insert', U3],
      ],
    );
    assert.deepEqual(toPlain(replica.table('Port').get(U1)?.['tags']), [1, 2]);
    assert.equal(replica.lastTransactionId, T3);
    await replica.close();
  });

  it('applies an update that arrives in the same read as the monitor reply after the reply', async () => {
    server.handler = (request, session) => {
      if (request.method !== 'monitor_cond_since') return defaultHandler(request, session);
      const reply = {
        id: request.id,
        result: [false, T1, { Port: { [U1]: { initial: { name: 'p1', tags: 1 } } } }],
        error: null,
      };
      const update = {
        id: null,
        method: 'update3',
        params: [request.params[1], T2, { Port: { [U1]: { modify: { tags: 2 } } } }],
      };
      session.sendRaw(JSON.stringify(reply) + JSON.stringify(update));
      return NO_REPLY;
    };
    const client = newClient();
    const replica = client.database(SCHEMA).replica({ Port: { columns: ['name', 'tags'] } });
    const errors: OvsdbError[] = [];
    replica.on('error', (e) => errors.push(e));
    await replica.whenSynced(2000);
    await eventually(() => replica.lastTransactionId === T2);
    assert.deepEqual(toPlain(replica.table('Port').get(U1)?.tags), [1, 2]);
    assert.deepEqual(errors, []);
    await replica.close();
  });

  it('drops the connection on a bad update and resyncs from scratch without tearing', async () => {
    let monitors = 0;
    server.handler = monitorHandler(() => {
      monitors++;
      return [false, ZERO_UUID, { Port: { [U1]: { initial: { name: monitors === 1 ? 'p1' : 'p1-new' } } } }];
    });
    const client = newClient();
    const replica = client.database(SCHEMA).replica({ Port: true });
    const batches: PortBatch[] = [];
    replica.on('change', (batch) => batches.push(batch));
    await replica.whenSynced(2000);
    const errored = replica.next('error');
    const session = server.sessions[server.sessions.length - 1];
    // Valid JSON-RPC, invalid content: a modify of a row the replica does not have, in the
    // same batch as a legitimate change, which must not be applied either.
    session?.send({
      id: null,
      method: 'update3',
      params: [
        replica.monitorId,
        T2,
        { Port: { [U1]: { modify: { name: 'torn' } }, [U3]: { modify: { name: 'x' } } } },
      ],
    });
    const [error] = await errored;
    assert.equal(error.code, 'OVSDB_INCONSISTENT');
    assert.equal(replica.table('Port').get(U1)?.['name'], 'p1', 'the bad batch left no trace');
    await eventually(() => replica.isSynced && monitors === 2, { message: 'resync after error' });
    assert.equal(replica.table('Port').get(U1)?.['name'], 'p1-new');
    assert.deepEqual(
      batches.map((b) => b.changes.map((c) => c.kind)),
      [['insert'], ['update']],
    );
    await replica.close();
  });

  it('keeps conditions changed, and cancels a monitor closed, while the monitor request is in flight', async () => {
    let held: { id: unknown; session: FakeSession } | undefined;
    server.handler = (request, session) => {
      if (request.method === 'monitor_cond_since') {
        held = { id: request.id, session };
        return NO_REPLY;
      }
      if (request.method === 'monitor_cond_change' || request.method === 'monitor_cancel') return {};
      return defaultHandler(request, session);
    };
    const client = newClient();
    const replica = client
      .database(SCHEMA)
      .replica({ Port: { columns: ['name'], where: [['name', '==', 'a']] } });
    const inFlight = await eventually(() => held);
    await replica.setCondition('Port', [['name', '==', 'b']]);
    inFlight.session.send({ id: inFlight.id, result: [false, ZERO_UUID, {}], error: null });
    await replica.whenSynced(2000);
    const change = inFlight.session.received.find((r) => r.method === 'monitor_cond_change');
    assert.deepEqual(change?.params, [
      replica.monitorId,
      replica.monitorId,
      { Port: [{ where: [['name', '==', 'b']] }] },
    ]);

    held = undefined;
    const second = client.database(SCHEMA).replica({ Port: true });
    const pending = await eventually(() => held);
    await second.close();
    pending.session.send({ id: pending.id, result: [false, ZERO_UUID, {}], error: null });
    await eventually(() =>
      pending.session.received.some((r) => r.method === 'monitor_cancel' && r.params[0] === second.monitorId),
    );
    assert.equal(second.isSynced, false);
    await replica.close();
  });

  it('falls back to monitor_cond on servers without monitor_cond_since', async () => {
    server.handler = (request, session) => {
      if (request.method === 'monitor_cond_since') return { error: 'unknown method' };
      if (request.method === 'monitor_cond') return { Port: { [U1]: { initial: { name: 'old-server' } } } };
      return defaultHandler(request, session);
    };
    const client = newClient();
    const replica = client.database(SCHEMA).replica({ Port: true });
    await replica.whenSynced(2000);
    assert.equal(replica.table('Port').get(U1)?.['name'], 'old-server');
    server.sessions[server.sessions.length - 1]?.send({
      id: null,
      method: 'update2',
      params: [replica.monitorId, { Port: { [U2]: { insert: { name: 'second' } } } }],
    });
    await eventually(() => replica.table('Port').size === 2);
    await replica.close();
  });
});
