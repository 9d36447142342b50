// Neutron agents over HTTP: every chassis is one agent (admin only), read-only, alive by heartbeat.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Chassis } from '@weir/model';
import { openStore, type Store } from '@weir/nbdb';
import { asProject, startTestServer, type TestServer } from './helpers/server.js';

interface AgentView {
  readonly id: string;
  readonly host: string;
  readonly agent_type: string;
  readonly binary: string;
  readonly alive: boolean;
  readonly heartbeat_timestamp: string;
  readonly configurations: { readonly tunnel_ip: string; readonly tunnel_types: string[] };
}

function chassis(name: string, heartbeatAt: string, id: string): Chassis {
  return {
    id,
    topic: 'chassis',
    version: 0,
    uniqueKey: 0,
    name,
    description: '',
    tags: [],
    createdAt: '2026-11-25T10:00:00Z',
    updatedAt: heartbeatAt,
    hostname: `${name}.lab`,
    tunnelIp: '192.0.2.1',
    tunnelTypes: ['geneve'],
    bridgeMappings: {},
    heartbeatAt,
  };
}

describe('Neutron agents (chassis)', () => {
  let s: TestServer;
  let store: Store;
  const live = '6a2f0c3e-0000-4000-8000-000000000001';
  const dead = '6a2f0c3e-0000-4000-8000-000000000002';
  before(async () => {
    store = await openStore('memory:');
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await store.commit([
      { kind: 'create', table: 'chassis', object: chassis('n1', now, live) },
      { kind: 'create', table: 'chassis', object: chassis('n2', '2026-01-01T00:00:00Z', dead) },
    ]);
    s = await startTestServer({}, store);
  });
  after(async () => {
    await s.close();
    await store.close();
  });

  it('lists every chassis to an admin, with liveness from its heartbeat', async () => {
    const r = await s.neutron<{ agents: AgentView[] }>('GET', '/v2.0/agents?sort_key=host');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.body.agents.map((a) => [a.host, a.alive, a.binary, a.agent_type]),
      [
        ['n1', true, 'weir-controller', 'Weir controller agent'],
        ['n2', false, 'weir-controller', 'Weir controller agent'],
      ],
    );
    assert.equal(r.body.agents[1]?.heartbeat_timestamp, '2026-01-01 00:00:00');
    assert.deepEqual(r.body.agents[0]?.configurations.tunnel_types, ['geneve']);
    const one = await s.neutron<{ agent: AgentView }>('GET', `/v2.0/agents/${dead}`);
    assert.equal(one.body.agent.host, 'n2');
    const filtered = await s.neutron<{ agents: AgentView[] }>('GET', '/v2.0/agents?host=n1&fields=host');
    assert.deepEqual(filtered.body.agents, [{ host: 'n1' }]);
  });

  it('shows nothing to other projects (Neutron: admin only)', async () => {
    const p = asProject('2f0b7e45a9e64bdf9d4a0b0a9c2f4e11');
    const r = await s.neutron<{ agents: AgentView[] }>('GET', '/v2.0/agents', undefined, p);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.agents, []);
    const one = await s.neutron('GET', `/v2.0/agents/${live}`, undefined, p);
    assert.equal(one.status, 404);
    assert.equal(one.error?.type, 'AgentNotFound');
  });

  it('cannot be created, changed or deleted', async () => {
    for (const [method, path] of [
      ['POST', '/v2.0/agents'],
      ['PUT', `/v2.0/agents/${live}`],
      ['DELETE', `/v2.0/agents/${live}`],
    ] as const) {
      const r = await s.neutron(method, path, method === 'DELETE' ? undefined : { agent: {} });
      assert.ok(r.status === 404 || r.status === 405, `${method} ${path}: ${r.status} ${r.text}`);
      assert.ok(r.error, r.text);
    }
    assert.equal((await store.list('chassis')).items.length, 2);
  });
});
