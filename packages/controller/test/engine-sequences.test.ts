// The controller's engine graph under state sequences (after Calico's calc_graph_fv_test.go, as
// packages/engine/test/sequences.test.ts does for its example): model states are fed one step at a
// time — as given, reversed, split into single changes, squashed, with empty states between, and
// as seeded random walks — and after every step:
//   - the incremental desired flows equal a from-scratch recompute of the same state;
//   - a consumer that applied only the flows node's tracked changes (as the installer does) holds
//     the same flows;
//   - no computed node recomputed: ports, networks, chassis and interface changes are all handled.
// WEIR_CONTROLLER_SEED=<n> replays one random walk.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine } from '@weir/engine';
import {
  buildControllerGraph,
  decodeFlow,
  decodeGroup,
  namedFlowText,
  type ChassisView,
  type NetworkView,
  type OwnerFlows,
  type PortView,
} from '../src/index.js';
import { formatGroup } from '@weir/openflow';

interface State {
  readonly ports: Readonly<Record<string, PortView>>;
  readonly networks: Readonly<Record<string, NetworkView>>;
  readonly chassis: Readonly<Record<string, ChassisView>>;
  readonly interfaces: Readonly<Record<string, number>>;
}

const EMPTY: State = { ports: {}, networks: {}, chassis: {}, interfaces: {} };
const ME = 'n1';
const graph = buildControllerGraph();

const net = (id: string, key: number, vni: number, type: NetworkView['type'] = 'geneve'): NetworkView => ({
  id,
  key,
  type,
  segmentationId: vni,
  mtu: 1450,
});
const chassis = (
  name: string,
  key: number,
  ip: string,
  types: ChassisView['tunnelTypes'] = ['geneve', 'vxlan'],
) => ({
  name,
  key,
  tunnelIp: ip,
  tunnelTypes: types,
});
function port(
  id: string,
  key: number,
  network: string,
  host: string,
  extra: Partial<PortView> = {},
): PortView {
  return {
    id,
    key,
    networkId: network,
    mac: `fa:16:3e:00:00:${key.toString(16).padStart(2, '0')}`,
    ips: [`10.0.${key}.${key}`],
    addressPairs: [],
    portSecurity: true,
    hostId: host,
    adminUp: true,
    deviceOwner: 'compute:nova',
    ...extra,
  };
}

const N1 = chassis(ME, 1, '198.51.100.11');
const N2 = chassis('n2', 2, '198.51.100.12');
const N3 = chassis('n3', 3, '198.51.100.13', ['vxlan']);
const BLUE = net('blue', 10, 1001);
const RED = net('red', 11, 1002, 'vxlan');

const BASE: readonly (readonly [string, State])[] = [
  ['empty', EMPTY],
  [
    'one local port',
    {
      ports: { a: port('a', 20, 'blue', ME) },
      networks: { blue: BLUE },
      chassis: { n1: N1 },
      interfaces: { a: 1 },
    },
  ],
  [
    'local and remote ports on two chassis',
    {
      ports: {
        a: port('a', 20, 'blue', ME),
        b: port('b', 21, 'blue', 'n2'),
        c: port('c', 22, 'blue', 'n3'),
        d: port('d', 23, 'red', 'n3'),
        e: port('e', 24, 'red', ME),
      },
      networks: { blue: BLUE, red: RED },
      chassis: { n1: N1, n2: N2, n3: N3 },
      interfaces: { a: 1, e: 2 },
    },
  ],
  [
    'address pairs, port security off, admin down, unbound, plugged but bound elsewhere',
    {
      ports: {
        a: port('a', 20, 'blue', ME, {
          addressPairs: [
            { ip: '10.9.0.0/24', mac: 'fa:16:3e:aa:00:01' },
            { ip: '10.9.1.1', mac: 'fa:16:3e:00:00:14' },
          ],
        }),
        b: port('b', 21, 'blue', 'n2', { portSecurity: false }),
        f: port('f', 25, 'blue', ME, { portSecurity: false, ips: ['10.0.25.25', 'fd00::25'] }),
        g: port('g', 26, 'blue', ME, { adminUp: false }),
        h: port('h', 27, 'blue', ''),
        i: port('i', 28, 'blue', 'n2'),
      },
      networks: { blue: BLUE },
      chassis: { n1: N1, n2: N2 },
      interfaces: { a: 1, f: 3, g: 4, h: 5, i: 6 },
    },
  ],
  [
    'a chassis moved its tunnel endpoint, a network changed VNI, a port moved host',
    {
      ports: {
        a: port('a', 20, 'blue', ME),
        b: port('b', 21, 'blue', ME),
        c: port('c', 22, 'blue', 'n2'),
      },
      networks: { blue: net('blue', 10, 2001) },
      chassis: { n1: N1, n2: chassis('n2', 2, '198.51.100.99') },
      interfaces: { a: 7, b: 8 },
    },
  ],
  [
    'a restarted chassis (new incarnation key), a remote port whose chassis is gone',
    {
      ports: { a: port('a', 20, 'blue', ME), c: port('c', 22, 'blue', 'n2'), d: port('d', 23, 'blue', 'n9') },
      networks: { blue: BLUE },
      chassis: { n1: N1, n2: chassis('n2', 12, '198.51.100.12') },
      interfaces: { a: 1 },
    },
  ],
];

// ---- driving the engine ----------------------------------------------------------------------

function ownersText(owners: ReadonlyMap<string, OwnerFlows>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [owner, f] of [...owners].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out[owner] = [
      ...f.flows.map((x) => namedFlowText(decodeFlow(x))),
      ...f.groups.map((g) => formatGroup(decodeGroup(g))),
    ];
  }
  return out;
}

class Driver {
  readonly engine = new Engine(graph.graph);
  /** The consumer's copy, built only from tracked changes (what the installer does). */
  readonly mirror = new Map<string, OwnerFlows>();
  private current: State = EMPTY;

  constructor() {
    this.engine
      .input(graph.settings)
      .set({ chassis: ME, generation: 7, tunnelPorts: { geneve: 100, vxlan: 101 } });
    this.engine.run();
    for (const [k, v] of this.engine.data(graph.flows).owners) this.mirror.set(k, v);
  }

  step(next: State): void {
    const w = {
      ports: this.engine.input(graph.ports),
      networks: this.engine.input(graph.networks),
      chassis: this.engine.input(graph.chassis),
      interfaces: this.engine.input(graph.interfaces),
    };
    for (const table of ['ports', 'networks', 'chassis', 'interfaces'] as const) {
      const before = this.current[table] as Record<string, unknown>;
      const after = next[table] as Record<string, unknown>;
      const writer = w[table] as { set(k: string, v: unknown): void; delete(k: string): boolean };
      for (const k of Object.keys(before)) if (!(k in after)) writer.delete(k);
      for (const [k, v] of Object.entries(after)) writer.set(k, v);
    }
    this.current = next;
    this.engine.run();
    const outcome = this.engine.outcome(graph.flows);
    if (outcome.kind === 'changed') outcome.changes.applyTo(this.mirror);
    else if (outcome.kind === 'recomputed') {
      this.mirror.clear();
      for (const [k, v] of this.engine.data(graph.flows).owners) this.mirror.set(k, v);
    }
  }

  recomputes(): Record<string, number> {
    const nodes = this.engine.stats().nodes;
    return Object.fromEntries(
      ['localPorts', 'remotePorts', 'flows'].map((n) => [n, nodes[n]?.recomputes ?? 0]),
    );
  }
}

function scratch(state: State): Record<string, string[]> {
  const d = new Driver();
  d.step(state);
  return ownersText(d.engine.data(graph.flows).owners);
}

// ---- expanders (after Calico's testExpanders) ------------------------------------------------

type Table = keyof State;
const TABLES: readonly Table[] = ['ports', 'networks', 'chassis', 'interfaces'];

/** Single-change steps from `a` to `b`: one key of one table at a time. */
function split(a: State, b: State): State[] {
  const steps: State[] = [];
  let cur = a;
  for (const t of TABLES) {
    const keys = new Set([...Object.keys(a[t]), ...Object.keys(b[t])]);
    for (const k of [...keys].sort()) {
      const target = (b[t] as Record<string, unknown>)[k];
      const have = (cur[t] as Record<string, unknown>)[k];
      if (JSON.stringify(target) === JSON.stringify(have)) continue;
      const table = { ...(cur[t] as Record<string, unknown>) };
      if (target === undefined) delete table[k];
      else table[k] = target;
      cur = { ...cur, [t]: table };
      steps.push(cur);
    }
  }
  return steps;
}

const EXPANDERS: Record<string, (states: readonly State[]) => State[]> = {
  'as given': (s) => [...s],
  reversed: (s) => [...s].reverse(),
  'split into single changes': (s) => s.flatMap((x, i) => split(i === 0 ? EMPTY : (s[i - 1] as State), x)),
  'squashed to the last': (s) => (s.length === 0 ? [] : [s[s.length - 1] as State]),
  'with empty states between': (s) => s.flatMap((x) => [x, EMPTY]),
};

function feed(label: string, states: readonly State[]): void {
  const driver = new Driver();
  states.forEach((state, i) => {
    driver.step(state);
    const context = `${label}, step ${i + 1}/${states.length}`;
    assert.deepStrictEqual(
      ownersText(driver.engine.data(graph.flows).owners),
      scratch(state),
      `${context}: incremental ≠ recompute`,
    );
    assert.deepStrictEqual(
      ownersText(driver.mirror),
      scratch(state),
      `${context}: the consumer's copy differs`,
    );
    assert.deepStrictEqual(
      driver.recomputes(),
      { localPorts: 1, remotePorts: 1, flows: 1 },
      `${context}: a node recomputed (only the first run may)`,
    );
  });
}

function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('controller engine: state sequences', () => {
  const states = BASE.map(([, s]) => s);
  for (const [name, expand] of Object.entries(EXPANDERS)) {
    it(`incremental == recompute, no recompute: ${name}`, () => feed(name, expand(states)));
  }

  it('every state alone, from empty and back', () => {
    for (const [name, s] of BASE) feed(name, [s, EMPTY, s]);
  });

  it('seeded random walks over the states (mixing tables between them)', () => {
    const seed = Number(process.env.WEIR_CONTROLLER_SEED ?? Date.now() % 100_000);
    const random = seededRandom(seed);
    for (let walk = 0; walk < 20; walk++) {
      const steps: State[] = [];
      for (let i = 0; i < 8; i++) {
        const a = states[Math.floor(random() * states.length)] as State;
        const b = states[Math.floor(random() * states.length)] as State;
        // A state that takes each table from a or b: combinations no one wrote down.
        const mixed = Object.fromEntries(
          TABLES.map((t) => [t, (random() < 0.5 ? a : b)[t]]),
        ) as unknown as State;
        steps.push(mixed);
      }
      try {
        feed(`walk ${walk}`, steps);
      } catch (error) {
        if (error instanceof Error) error.message = `WEIR_CONTROLLER_SEED=${seed}: ${error.message}`;
        throw error;
      }
    }
  });

  it('a single port create, update and delete cause no recompute and touch only that port and its network', () => {
    const base = BASE[2]?.[1] as State;
    const driver = new Driver();
    driver.step(base);
    const before = driver.recomputes();
    const withNew: State = {
      ...base,
      ports: { ...base.ports, z: port('z', 40, 'blue', ME) },
      interfaces: { ...base.interfaces, z: 9 },
    };
    driver.step(withNew);
    const created = driver.engine.outcome(graph.flows);
    assert.equal(created.kind, 'changed');
    if (created.kind === 'changed')
      assert.deepEqual([...created.changes.keys()].sort(), ['network:10', 'port:40']);
    driver.step({
      ...withNew,
      ports: { ...withNew.ports, z: port('z', 40, 'blue', ME, { ips: ['10.0.40.41'] }) },
    });
    const updated = driver.engine.outcome(graph.flows);
    if (updated.kind === 'changed') assert.deepEqual([...updated.changes.keys()], ['port:40']);
    driver.step(base);
    assert.deepEqual(driver.recomputes(), before);
  });
});
