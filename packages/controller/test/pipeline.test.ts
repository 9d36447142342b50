// The declaration: numbering from the order, names, the self-check, and the register file.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as controller from '../src/index.js';
import {
  ClassifierTable,
  L2LookupTable,
  MARKS,
  PIPELINE,
  REGISTER_FIELDS,
  declarePipeline,
  isControllerError,
  missTarget,
  tableById,
  tableName,
  type TableSpec,
} from '../src/index.js';

const W4_OWNERS: Record<string, string> = {
  Classifier: 'classifier',
  TunnelIngress: 'tunneling',
  PortSecurityFromPort: 'port-security',
  ArpResponder: 'arp-responder',
  L2Lookup: 'l2',
  Flood: 'l2',
  PortSecurityToPort: 'port-security',
  LocalOutput: 'classifier',
  TunnelOutput: 'tunneling',
};

describe('pipeline declaration', () => {
  it('numbers tables from their order, starting with the classifier at 0', () => {
    PIPELINE.tables.forEach((t, i) => assert.equal(t.id, i));
    assert.equal(ClassifierTable.id, 0);
    assert.equal(tableName(0), 'Classifier');
    assert.equal(tableName(L2LookupTable.id), 'L2Lookup');
    assert.equal(tableName(200), 'table200');
    assert.equal(tableById(L2LookupTable.id), L2LookupTable);
    assert.throws(
      () => tableById(200),
      (e) => isControllerError(e, 'WEIR_PIPELINE_UNKNOWN_TABLE'),
    );
    assert.throws(
      () => PIPELINE.table('Nope'),
      (e) => isControllerError(e, 'WEIR_PIPELINE_UNKNOWN_TABLE'),
    );
  });

  it('exports <Name>Table for every declared table, and nothing else named so', () => {
    const exported = Object.entries(controller).filter(([k]) => /^[A-Z]\w*Table$/.test(k));
    assert.deepEqual(exported.map(([k]) => k).sort(), PIPELINE.tables.map((t) => `${t.name}Table`).sort());
    for (const [k, v] of exported) assert.equal(v, PIPELINE.table(k.replace(/Table$/, '')));
  });

  it("declares the W4 apps' tables as active with their owners", () => {
    for (const [name, owner] of Object.entries(W4_OWNERS)) {
      const t = PIPELINE.table(name);
      assert.equal(t.owner, owner, name);
      assert.equal(t.state, 'active', name);
    }
    const active = PIPELINE.tables.filter((t) => t.state === 'active').map((t) => t.name);
    assert.deepEqual(active.sort(), Object.keys(W4_OWNERS).sort());
  });

  it('reserves tables for every future app, transparent on the main path', () => {
    const future = ['security-groups', 'l3', 'nat', 'load-balancer', 'dhcp', 'provider', 'trunk'];
    for (const app of future) {
      const owned = PIPELINE.tables.filter((t) => t.owner === app);
      assert.ok(owned.length > 0, app);
      for (const t of owned) assert.equal(t.state, 'reserved', t.name);
    }
    // A packet from a local port to a local port must reach LocalOutput with every reserved
    // table empty: follow the miss flows (and the W4 apps' jumps) from TrunkIngress.
    const walk = (from: string, to: string): string[] => {
      const path: string[] = [];
      let t = PIPELINE.table(from);
      while (t.name !== to) {
        path.push(t.name);
        const next =
          t.state === 'reserved' ? missTarget(t, PIPELINE.tables) : PIPELINE.table(t.contract.next[0] ?? '');
        assert.ok(next !== undefined, `${t.name} drops with its reserved tables empty`);
        t = next;
      }
      return path;
    };
    assert.deepEqual(walk('TrunkIngress', 'L2Lookup'), [
      'TrunkIngress',
      'PortSecurityFromPort',
      'Dhcp',
      'ArpResponder',
      'ConntrackFromPort',
      'SecurityGroupFromPort',
      'LoadBalancer',
      'L3Admission',
    ]);
    assert.deepEqual(walk('ConntrackToPort', 'LocalOutput'), [
      'ConntrackToPort',
      'SecurityGroupToPort',
      'PortSecurityToPort',
      'TrunkEgress',
    ]);
  });

  it('only jumps forward, so no packet can loop', () => {
    for (const t of PIPELINE.tables) {
      for (const n of t.contract.next) assert.ok(PIPELINE.table(n).id > t.id, `${t.name} → ${n}`);
    }
  });

  const base: TableSpec = {
    name: 'A',
    stage: 'classification',
    owner: 'classifier',
    state: 'active',
    purpose: 'test',
    miss: { kind: 'drop' },
    contract: { matches: [], sets: [], next: [] },
  };
  const refused = (specs: TableSpec[], pattern: RegExp): void => {
    assert.throws(
      () => declarePipeline(specs),
      (e) => isControllerError(e, 'WEIR_PIPELINE_DECLARATION') && pattern.test(e.message),
    );
  };

  it('refuses a declaration that contradicts itself', () => {
    const b = { ...base, name: 'B' };
    refused([base, { ...base }], /declared twice/);
    refused([{ ...base, name: 'lower' }], /PascalCase/);
    refused([{ ...base, contract: { ...base.contract, next: ['Missing'] } }], /not declared/);
    refused([b, { ...base, contract: { ...base.contract, next: ['B'] } }], /not after it/);
    refused([{ ...base, contract: { ...base.contract, next: ['A'] } }], /not after it/);
    refused([{ ...base, miss: { kind: 'next' } }, b], /does not allow/);
    refused([{ ...base, miss: { kind: 'next' } }], /no declared table/);
    refused([{ ...base, miss: { kind: 'goto', table: 'B' } }, b], /does not allow/);
    refused([{ ...base, miss: { kind: 'controller' } }], /controller/);
    const ok = declarePipeline([
      { ...base, miss: { kind: 'next' }, contract: { ...base.contract, next: ['B'] } },
      b,
    ]);
    assert.deepEqual(
      ok.tables.map((t) => [t.name, t.id]),
      [
        ['A', 0],
        ['B', 1],
      ],
    );
  });
});

describe('registers', () => {
  it('declares non-overlapping fields and marks inside their field', () => {
    const used = new Map<string, bigint>();
    for (const f of REGISTER_FIELDS) {
      assert.match(f.name, /^[A-Z]\w*Field$/);
      assert.ok(f.start >= 0 && f.nBits >= 1 && f.start + f.nBits <= 32, f.name);
      const mask = ((1n << BigInt(f.nBits)) - 1n) << BigInt(f.start);
      const prior = used.get(f.register) ?? 0n;
      assert.equal(prior & mask, 0n, `${f.name} overlaps another field of its register`);
      used.set(f.register, prior | mask);
      assert.ok(f.writers.length > 0 && f.readers.length > 0, f.name);
    }
    const bits = new Set<string>();
    for (const m of MARKS) {
      assert.match(m.name, /^[A-Z]\w*Mark$/);
      assert.ok(REGISTER_FIELDS.includes(m.field), m.name);
      assert.ok(m.bit >= 0 && m.bit < m.field.nBits, m.name);
      const key = `${m.field.name}.${m.bit}`;
      assert.ok(!bits.has(key), `${m.name} shares a bit`);
      bits.add(key);
    }
  });

  it('spells raw registers in registers.ts only', () => {
    const src = new URL('../src/', import.meta.url).pathname;
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const n of readdirSync(dir)) {
        const p = join(dir, n);
        // The fake switch is a generic OpenFlow model (it knows registers, not Weir's meanings).
        if (statSync(p).isDirectory()) {
          if (n !== 'fake-switch') walk(p);
        } else if (n.endsWith('.ts')) files.push(p);
      }
    };
    walk(src);
    assert.ok(files.length > 10);
    const offenders = files.filter(
      (f) =>
        !f.endsWith('pipeline/registers.ts') &&
        /['"`](x*reg\d+|metadata)['"`]|NXM_NX_REG/.test(readFileSync(f, 'utf8')),
    );
    assert.deepEqual(offenders, []);
  });
});
