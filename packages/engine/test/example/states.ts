// Model states for the state-sequence tests, and the expanders that turn one list of states into
// many sequences (after Calico's testExpanders in felix/calc/calc_graph_fv_test.go): the same
// states reversed, split into single-change steps, squashed into one step, with empty states
// between. Plus a seeded generator of random walks through the model.
import type { Encap, Network, Port } from './model.js';
import { EMPTY, type State } from './harness.js';

const net = (id: string, vni: number): Network => ({ id, vni });
const port = (id: string, network: string, mac: string, key: number): Port => ({ id, network, mac, key });

const n1 = net('n1', 101);
const n2 = net('n2', 102);
const a = port('a', 'n1', '02:00:00:00:00:0a', 10);
const b = port('b', 'n1', '02:00:00:00:00:0b', 11);
const c = port('c', 'n1', '02:00:00:00:00:0c', 12);

const twoLocalPorts: State = { ...EMPTY, networks: { n1 }, ports: { a, b }, bindings: { a: 1, b: 2 } };
const plusRemotePort: State = { ...twoLocalPorts, ports: { a, b, c } };
const movedToSecondNetwork: State = {
  ...plusRemotePort,
  networks: { n1, n2 },
  ports: { a, b: { ...b, network: 'n2' }, c },
  bindings: { a: 1, b: 2, c: 3 },
};
const vniAndMacChanged: State = {
  ...movedToSecondNetwork,
  networks: { n1: net('n1', 201), n2 },
  ports: { ...movedToSecondNetwork.ports, a: { ...a, mac: '02:00:00:00:01:0a' } },
};
const networkGoneUnderItsPorts: State = { ...vniAndMacChanged, networks: { n2 } };
const bindingsSwapped: State = { ...movedToSecondNetwork, bindings: { a: 2, b: 1, c: 3 } };
const vxlan: State = {
  ...bindingsSwapped,
  encap: 'vxlan',
  ports: { ...bindingsSwapped.ports, d: port('d', 'n2', '02:00:00:00:00:0d', 13) },
  bindings: { ...bindingsSwapped.bindings, d: 4 },
};
const portGoneInterfaceStays: State = { ...vxlan, ports: { a, c } };

/** The base sequence: each state a small, meaningful step from the one before. */
export const BASE_STATES: readonly (readonly [string, State])[] = [
  ['two local ports', twoLocalPorts],
  ['plus a remote port', plusRemotePort],
  ['a port moved to a second network', movedToSecondNetwork],
  ['vni and mac changed', vniAndMacChanged],
  ['network deleted under its ports', networkGoneUnderItsPorts],
  ['ofports swapped', bindingsSwapped],
  ['vxlan and a new port', vxlan],
  ['port deleted, its interface still bound', portGoneInterfaceStays],
];

export type Expander = (states: readonly State[], order: (keys: string[]) => string[]) => State[];

/** Each expanded sequence, by name. `order` decides the order of single-change steps. */
export const EXPANDERS: Readonly<Record<string, Expander>> = {
  'as written': (states) => [...states],
  reversed: (states) => [...states].reverse(),
  'with empty states between': (states) => states.flatMap((s) => [s, EMPTY]),
  'split into single changes': (states, order) => split(states, order),
  'reversed, split into single changes': (states, order) => split([...states].reverse(), order),
  'squashed into one step': (states) => states.slice(-1),
  'every other state': (states) => states.filter((_, i) => i % 2 === 1 || i === states.length - 1),
  'split, with empty states between': (states, order) =>
    split(
      states.flatMap((s) => [s, EMPTY]),
      order,
    ),
};

/** From the empty state through every state, one changed key (or the encap) per step. */
function split(states: readonly State[], order: (keys: string[]) => string[]): State[] {
  const out: State[] = [];
  let at = EMPTY;
  for (const target of states) {
    for (const edit of order(editsBetween(at, target))) {
      at = applyEdit(at, target, edit);
      out.push(at);
    }
  }
  return out;
}

const TABLES = ['networks', 'ports', 'bindings'] as const;

/** Names of the single edits from one state to another: `table/key`, or `encap`. */
function editsBetween(from: State, to: State): string[] {
  const edits: string[] = [];
  for (const table of TABLES) {
    const keys = new Set([...Object.keys(from[table]), ...Object.keys(to[table])]);
    for (const key of [...keys].sort())
      if (from[table][key] !== to[table][key]) edits.push(`${table}/${key}`);
  }
  if (from.encap !== to.encap) edits.push('encap');
  return edits;
}

function applyEdit(state: State, target: State, edit: string): State {
  if (edit === 'encap') return { ...state, encap: target.encap };
  const [table, key] = edit.split('/') as [(typeof TABLES)[number], string];
  const rows: Record<string, unknown> = { ...state[table] };
  const value = target[table][key];
  if (value === undefined) delete rows[key];
  else rows[key] = value;
  return { ...state, [table]: rows };
}

/** Whether two consecutive states differ only in one key of one table. */
export function isSingleChange(from: State, to: State): boolean {
  const edits = editsBetween(from, to);
  return edits.length === 1 && edits[0] !== 'encap';
}

export function encapChanged(from: State, to: State): boolean {
  return from.encap !== to.encap;
}

/** mulberry32: small, fast, good enough to pick test data; same seed, same sequence. */
export function randomSource(seed: number) {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const shuffle = <T>(items: T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = int(i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };
  return { next, int, pick, shuffle };
}

export type Random = ReturnType<typeof randomSource>;

/**
 * A random walk of `length` states, each a few random edits from the one before, over a small
 * key space so that keys are created, changed and deleted again, ports point at missing networks,
 * ofports collide and the encap flips now and then.
 */
export function randomWalk(random: Random, length: number): State[] {
  const networkIds = ['n0', 'n1', 'n2', 'n3'];
  // n9 never exists: ports that reference a network the chassis does not have.
  const portNetworks = [...networkIds, 'n9'];
  const portIds = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
  const macs = ['02:00:00:00:00:01', '02:00:00:00:00:02', '02:00:00:00:00:03'];
  const states: State[] = [];
  let state = EMPTY;
  for (let i = 0; i < length; i += 1) {
    const edits = 1 + random.int(4);
    for (let e = 0; e < edits; e += 1) {
      const roll = random.int(10);
      if (roll < 2) {
        const id = random.pick(networkIds);
        state = edit(state, 'networks', id, random.int(4) === 0 ? undefined : net(id, 100 + random.int(3)));
      } else if (roll < 6) {
        const id = random.pick(portIds);
        const value =
          random.int(4) === 0
            ? undefined
            : port(id, random.pick(portNetworks), random.pick(macs), random.int(3));
        state = edit(state, 'ports', id, value);
      } else if (roll < 9) {
        state = edit(
          state,
          'bindings',
          random.pick(portIds),
          random.int(3) === 0 ? undefined : 1 + random.int(5),
        );
      } else {
        state = { ...state, encap: random.pick<Encap>(['geneve', 'vxlan']) };
      }
    }
    states.push(state);
  }
  return states;
}

function edit<T extends 'networks' | 'ports' | 'bindings'>(
  state: State,
  table: T,
  key: string,
  value: State[T][string] | undefined,
): State {
  const rows: Record<string, unknown> = { ...state[table] };
  if (value === undefined) delete rows[key];
  else rows[key] = value;
  return { ...state, [table]: rows };
}
