// The example graph, shaped like the controller's: on a populated chassis, a single port
// create / update / move / delete, a binding, a network change — each is handled without any
// recompute, touches exactly the owners it should, and leaves the same flows as a full recompute.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EngineStats } from '../src/index.js';
import { Driver, scratch, type State } from './example/harness.js';
import type { Network, Port } from './example/model.js';
import { buildExampleGraph } from './example/wiring.js';

const example = buildExampleGraph();

/** 3 networks of 20 ports; the even ports are bound on this chassis. */
function populated(): State {
  const networks: Record<string, Network> = {};
  const ports: Record<string, Port> = {};
  const bindings: Record<string, number> = {};
  for (let n = 1; n <= 3; n += 1) {
    networks[`n${n}`] = { id: `n${n}`, vni: 100 + n };
    for (let p = 0; p < 20; p += 1) {
      const id = `n${n}p${p}`;
      const key = n * 100 + p;
      ports[id] = {
        id,
        network: `n${n}`,
        mac: `02:00:00:00:${n.toString(16).padStart(2, '0')}:${p.toString(16).padStart(2, '0')}`,
        key,
      };
      if (p % 2 === 0) bindings[id] = key;
    }
  }
  return { networks, ports, bindings, encap: 'geneve' };
}

interface Expect {
  /** Owners whose flows the step must add, change or remove — no more, no fewer. */
  readonly owners: readonly string[];
  readonly localPortsHandled?: number;
  readonly flowsHandled?: number;
}

function setup() {
  const driver = new Driver(example);
  let state = populated();
  driver.step(state);
  const step = (next: State, expect: Expect): void => {
    const before = driver.engine.stats();
    driver.step(next);
    state = next;
    const after = driver.engine.stats();
    const delta = (node: string, field: 'recomputes' | 'handled') =>
      count(after, node, field) - count(before, node, field);
    assert.equal(delta('localPortsByNetwork', 'recomputes'), 0, 'localPortsByNetwork recomputed');
    assert.equal(delta('flows', 'recomputes'), 0, 'flows recomputed');
    assert.equal(delta('localPortsByNetwork', 'handled'), expect.localPortsHandled ?? 1);
    assert.equal(delta('flows', 'handled'), expect.flowsHandled ?? (expect.owners.length > 0 ? 1 : 0));
    const outcome = driver.engine.outcome(example.flows);
    const owners = outcome.kind === 'changed' ? [...outcome.changes.keys()].sort() : [];
    assert.deepEqual(owners, [...expect.owners].sort());
    const expected = scratch(example, next);
    assert.deepStrictEqual(driver.output(), expected);
    assert.deepStrictEqual(driver.mirror, expected.flows);
  };
  return { driver, step, state: () => state };
}

function count(stats: EngineStats, node: string, field: 'recomputes' | 'handled'): number {
  return stats.nodes[node]?.[field] ?? 0;
}

describe('example graph: single changes on a populated chassis', () => {
  it('starts with one flow set per local port and per network', () => {
    const { driver } = setup();
    assert.equal(driver.engine.data(example.flows).size, 30 + 3);
    assert.deepEqual(driver.engine.data(example.flows).get('port:n1p2'), [
      'table=Classifier,in_port=102 actions=set:net=101,port=102,goto:PortSecurity',
      'table=PortSecurity,net=101,port=102,dl_src=02:00:00:00:01:02 actions=goto:L2Lookup',
      'table=L2Lookup,net=101,dl_dst=02:00:00:00:01:02 actions=set:port=102,output:102',
    ]);
  });

  it('a port create, then its binding, then update, move and delete: no recompute', () => {
    const { step, state } = setup();
    const created: Port = { id: 'new', network: 'n1', mac: '02:00:00:00:ff:01', key: 999 };
    // Created but not bound here: local ports do not change, flows are not touched.
    step({ ...state(), ports: { ...state().ports, new: created } }, { owners: [] });
    step({ ...state(), bindings: { ...state().bindings, new: 77 } }, { owners: ['port:new', 'net:n1'] });
    // A MAC change rewrites the port's flows; the flood flow lists ofports only, so it stays.
    step(
      { ...state(), ports: { ...state().ports, new: { ...created, mac: '02:00:00:00:ff:02' } } },
      { owners: ['port:new'] },
    );
    step(
      { ...state(), ports: { ...state().ports, new: { ...created, network: 'n2' } } },
      { owners: ['port:new', 'net:n1', 'net:n2'] },
    );
    const { new: _gone, ...ports } = state().ports;
    step({ ...state(), ports }, { owners: ['port:new', 'net:n2'] });
  });

  it('a remote port changes nothing downstream of localPortsByNetwork', () => {
    const { step, state } = setup();
    const remote = state().ports.n2p1;
    assert.ok(remote && state().bindings.n2p1 === undefined);
    step(
      { ...state(), ports: { ...state().ports, n2p1: { ...remote, mac: '02:00:00:00:aa:aa' } } },
      { owners: [] },
    );
  });

  it('unbinding a local port, and a network change, are handled too', () => {
    const { step, state } = setup();
    const { n3p4: _unbound, ...bindings } = state().bindings;
    step({ ...state(), bindings }, { owners: ['port:n3p4', 'net:n3'] });
    const n2Ports = Object.keys(state().bindings).filter((id) => id.startsWith('n2'));
    step(
      { ...state(), networks: { ...state().networks, n2: { id: 'n2', vni: 555 } } },
      { owners: ['net:n2', ...n2Ports.map((id) => `port:${id}`)], localPortsHandled: 0 },
    );
  });

  it('an encap change recomputes flows (it has no handler) but the diff keeps the consumer incremental', () => {
    const { driver, state } = setup();
    const before = driver.engine.stats();
    driver.step({ ...state(), encap: 'vxlan' });
    const after = driver.engine.stats();
    assert.equal(count(after, 'flows', 'recomputes') - count(before, 'flows', 'recomputes'), 1);
    assert.equal(after.nodes.flows?.recomputeReasons.noHandler, 1);
    assert.equal(
      count(after, 'localPortsByNetwork', 'handled'),
      count(before, 'localPortsByNetwork', 'handled'),
    );
    const outcome = driver.engine.outcome(example.flows);
    assert.equal(outcome.kind, 'changed');
    assert.deepEqual(outcome.kind === 'changed' ? [...outcome.changes.keys()].sort() : [], [
      'net:n1',
      'net:n2',
      'net:n3',
    ]);
    assert.deepStrictEqual(driver.mirror, scratch(example, { ...state(), encap: 'vxlan' }).flows);
  });

  it('prints its wiring manifest with the reason for every edge', () => {
    assert.equal(
      example.graph.describe(),
      [
        'ports (input)',
        'networks (input)',
        'localBindings (input)',
        'encap (input)',
        'localPortsByNetwork.ports <- ports: a local port takes its network, MAC and key from the port',
        'localPortsByNetwork.localBindings <- localBindings: a port is local exactly while an interface here is bound to it',
        'flows.localPorts <- localPortsByNetwork: flows exist only for local ports; flooding needs them by network',
        'flows.networks <- networks: every flow of a port matches or sets its network’s VNI',
        'flows.encap <- encap: flood flows name the tunnel type',
      ].join('\n'),
    );
  });
});
