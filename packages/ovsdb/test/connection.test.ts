// One JSON-RPC session against a scripted server: echo, inactivity probe, timeouts, typed
// transaction errors, and hostile input that must end in a typed close, never a crash.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OvsdbConnection } from '../src/connection.js';
import { OvsdbError, OvsdbTransactionError } from '../src/errors.js';
import { FakeClock } from './helpers/fake-clock.js';
import { FakeOvsdbServer, NO_REPLY, defaultHandler, type FakeSession } from './helpers/fake-server.js';
import { eventually } from './helpers/wait.js';

let server: FakeOvsdbServer;

before(async () => {
  server = await FakeOvsdbServer.start();
});
after(async () => {
  await server.close();
});

async function connect(options: ConstructorParameters<typeof OvsdbConnection>[1] = {}): Promise<{
  connection: OvsdbConnection;
  session: FakeSession;
}> {
  const index = server.sessions.length;
  const connection = await OvsdbConnection.open(server.target, { probeIntervalMs: 0, ...options });
  return { connection, session: await server.session(index) };
}

function hasCode(code: string): (e: unknown) => boolean {
  return (e) => e instanceof OvsdbError && e.code === code;
}

describe('OvsdbConnection', () => {
  it('answers the server echo with the same params', async () => {
    server.handler = defaultHandler;
    const { connection, session } = await connect();
    try {
      session.send({ id: 'echo', method: 'echo', params: ['ping', 1] });
      const reply = await eventually(() => session.replies[0], { message: 'echo reply' });
      assert.deepEqual(reply, { id: 'echo', result: ['ping', 1], error: null });
      assert.deepEqual(await connection.listDbs(), ['Test']);
    } finally {
      connection.close();
    }
  });

  it('probes an idle server and closes with OVSDB_TIMEOUT when the probe goes unanswered', async () => {
    const clock = new FakeClock();
    let answerProbes = true;
    server.handler = (request) =>
      request.method === 'echo' && !answerProbes ? NO_REPLY : defaultHandler(request, undefined as never);
    const { connection, session } = await connect({ probeIntervalMs: 1000, clock });
    try {
      await clock.advance(1000);
      await eventually(() => session.received.some((r) => r.method === 'echo'), { message: 'first probe' });
      await eventually(async () => {
        await clock.advance(0);
        return !connection.isClosed && clock.pending === 1;
      });
      answerProbes = false;
      await clock.advance(1000); // idle again → probe sent, unanswered
      await eventually(() => session.received.filter((r) => r.method === 'echo').length === 2);
      await clock.advance(1000); // probe times out
      const reason = await connection.closed;
      assert.equal(reason.code, 'OVSDB_TIMEOUT');
      assert.match(reason.message, /inactivity probe/);
    } finally {
      connection.close();
    }
  });

  it('times out a request without killing the connection, and ignores the late reply', async () => {
    const clock = new FakeClock();
    let hold: FakeSession | undefined;
    let heldId: unknown;
    server.handler = (request, session) => {
      if (request.method === 'get_schema') {
        hold = session;
        heldId = request.id;
        return NO_REPLY;
      }
      return defaultHandler(request, session);
    };
    const { connection } = await connect({ clock, requestTimeoutMs: 500 });
    try {
      const pending = assert.rejects(connection.getSchema('Test'), hasCode('OVSDB_TIMEOUT'));
      await eventually(() => hold);
      await clock.advance(500);
      await pending;
      hold?.send({ id: heldId, result: {}, error: null });
      assert.deepEqual(await connection.listDbs(), ['Test']);
      assert.equal(connection.isClosed, false);
    } finally {
      connection.close();
    }
  });

  it('maps a failed operation to OvsdbTransactionError naming its index', async () => {
    server.handler = (request) =>
      request.method === 'transact'
        ? [{}, { error: 'timed out', details: '"wait" timed out after 0 ms' }, null]
        : defaultHandler(request, undefined as never);
    const { connection } = await connect();
    try {
      const ops = [
        { op: 'comment', comment: 'x' },
        { op: 'wait', table: 'T', where: [], columns: [], until: '==', rows: [] },
        { op: 'delete', table: 'T', where: [] },
      ] as const;
      const error = await connection.transact('Test', ops).then(
        () => assert.fail('should fail'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof OvsdbTransactionError);
      assert.equal(error.code, 'OVSDB_TXN_FAILED');
      assert.equal(error.operationIndex, 1);
      assert.equal(error.operation, 'wait');
      assert.equal(error.ovsdbError, 'timed out');

      server.handler = (request) =>
        request.method === 'transact'
          ? [
              { uuid: ['uuid', '11111111-1111-4111-8111-111111111111'] },
              { error: 'referential integrity violation' },
            ]
          : defaultHandler(request, undefined as never);
      const commitError = await connection.transact('Test', [{ op: 'insert', table: 'T', row: {} }]).then(
        () => assert.fail('should fail'),
        (e: unknown) => e,
      );
      assert.ok(commitError instanceof OvsdbTransactionError);
      assert.equal(commitError.operationIndex, undefined);
      assert.equal(commitError.ovsdbError, 'referential integrity violation');
    } finally {
      connection.close();
    }
  });

  it('rejects RPC errors with OVSDB_RPC_ERROR and a wrong result shape with OVSDB_PROTOCOL', async () => {
    server.handler = (request) => {
      if (request.method === 'get_schema') return { error: { error: 'unknown database', details: 'nope' } };
      if (request.method === 'list_dbs') return { dbs: 1 };
      if (request.method === 'transact') return 'not an array';
      return defaultHandler(request, undefined as never);
    };
    const { connection } = await connect();
    try {
      await assert.rejects(
        connection.getSchema('Nope'),
        (e: unknown) => hasCode('OVSDB_RPC_ERROR')(e) && /unknown database/.test(String(e)),
      );
      await assert.rejects(connection.listDbs(), hasCode('OVSDB_PROTOCOL'));
      await assert.rejects(connection.transact('Test', []), hasCode('OVSDB_PROTOCOL'));
      assert.equal(connection.isClosed, false, 'a bad result does not desynchronise the stream');
    } finally {
      connection.close();
    }
  });

  for (const [name, payload, code] of [
    ['bad JSON', '{"id": 1, "result": [1,]}', 'OVSDB_PROTOCOL'],
    ['mismatched brackets', '{"id": 1, "result": [}', 'OVSDB_PROTOCOL'],
    ['a reply to an id never used', JSON.stringify({ id: 999, result: [], error: null }), 'OVSDB_PROTOCOL'],
    ['a reply with a string id', JSON.stringify({ id: 'x', result: [], error: null }), 'OVSDB_PROTOCOL'],
    ['a message that is an array', '[1, 2, 3]', 'OVSDB_PROTOCOL'],
    ['a message of neither kind', '{"hello": "world"}', 'OVSDB_PROTOCOL'],
    ['params that are not an array', '{"id": null, "method": "update3", "params": 5}', 'OVSDB_PROTOCOL'],
    [
      'an update3 without a txn id',
      '{"id": null, "method": "update3", "params": ["m", "x", {}]}',
      'OVSDB_PROTOCOL',
    ],
    [
      'a huge message',
      `{"id": null, "method": "x", "params": ["${'y'.repeat(5000)}"]}`,
      'OVSDB_MESSAGE_TOO_LARGE',
    ],
    ['a top-level number', '12345', 'OVSDB_PROTOCOL'],
  ] as const) {
    it(`closes with ${code} on ${name} and rejects pending requests`, async () => {
      server.handler = (request) =>
        request.method === 'list_dbs' ? NO_REPLY : defaultHandler(request, undefined as never);
      const { connection, session } = await connect({ maxMessageBytes: 4096 });
      const pending = assert.rejects(connection.listDbs(), hasCode(code));
      await eventually(() => session.received.length > 0);
      session.sendRaw(payload);
      const reason = await connection.closed;
      assert.equal(reason.code, code);
      await pending;
      await assert.rejects(connection.echo(), hasCode(code), 'later requests fail fast');
    });
  }

  it('rejects pending requests with OVSDB_DISCONNECTED when the server goes away', async () => {
    server.handler = (request) =>
      request.method === 'list_dbs' ? NO_REPLY : defaultHandler(request, undefined as never);
    const { connection, session } = await connect();
    const pending = connection.listDbs();
    await eventually(() => session.received.length > 0);
    session.close();
    await assert.rejects(pending, hasCode('OVSDB_DISCONNECTED'));
    assert.equal((await connection.closed).code, 'OVSDB_DISCONNECTED');
  });

  it('ignores unknown notifications and updates for unknown monitors', async () => {
    server.handler = defaultHandler;
    const { connection, session } = await connect();
    try {
      session.send({ id: null, method: 'future_extension', params: [1] });
      session.send({ id: null, method: 'update2', params: ['nobody', {}] });
      assert.deepEqual(await connection.listDbs(), ['Test']);
      assert.equal(connection.isClosed, false);
    } finally {
      connection.close();
    }
  });

  it('fails to open with OVSDB_CONNECT_FAILED when nothing listens', async () => {
    await assert.rejects(OvsdbConnection.open('unix:/nonexistent/db.sock'), hasCode('OVSDB_CONNECT_FAILED'));
    await assert.rejects(OvsdbConnection.open('ssl:1.2.3.4:6640'), hasCode('OVSDB_INVALID_ARGUMENT'));
  });
});
