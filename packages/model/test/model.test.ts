import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  ERROR_CODES,
  FORMATS,
  TABLES,
  TABLE_NAMES,
  WeirError,
  assertValid,
  indexValues,
  isCidr,
  isIp,
  validateObject,
  type LogicalPort,
} from '../src/index.js';

const now = '2026-11-25T12:00:00Z';
const base = (id = '2f1c1e6e-3b9c-4f67-9c36-0f0b8d7b7a11') => ({
  id,
  topic: 'a1'.repeat(16),
  version: 1,
  uniqueKey: 7,
  name: 'x',
  description: '',
  tags: [],
  createdAt: now,
  updatedAt: now,
});
const uuid = (n: number) => `2f1c1e6e-3b9c-4f67-9c36-${n.toString(16).padStart(12, '0')}`;

const port: LogicalPort = {
  ...base(),
  networkId: uuid(2),
  macAddress: 'fa:16:3e:00:00:01',
  fixedIps: [{ subnetId: uuid(3), ipAddress: '10.0.0.5' }],
  binding: {
    hostId: 'n1',
    vnicType: 'normal',
    vifType: 'ovs',
    vifDetails: { port_filter: true },
    profile: {},
  },
  deviceOwner: 'compute:nova',
  deviceId: 'vm-1',
  securityGroups: [uuid(4)],
  portSecurityEnabled: true,
  allowedAddressPairs: [{ ipAddress: '10.0.0.0/28', macAddress: 'fa:16:3e:00:00:02' }],
  status: 'DOWN',
  adminStateUp: true,
  dnsName: '',
};

describe('model', () => {
  it('validates a well-formed object and explains each problem of a bad one by field', () => {
    assert.deepEqual(validateObject('logical_port', port), []);
    const bad = {
      ...port,
      macAddress: 'FA:16:3E:00:00:01',
      fixedIps: [{ subnetId: 'nope', ipAddress: '10.0.0.256' }],
      status: 'UP',
      extra: true,
    };
    const details = validateObject('logical_port', bad);
    const fields = details.map((d) => d.field);
    for (const f of ['/macAddress', '/fixedIps/0/subnetId', '/fixedIps/0/ipAddress', '/status', '/extra']) {
      assert.ok(fields.includes(f), `${f} is reported: ${JSON.stringify(details)}`);
    }
    assert.throws(
      () => assertValid('logical_port', bad),
      (e: unknown) => e instanceof WeirError && e.code === 'WEIR_MODEL_INVALID' && e.details.length >= 5,
    );
    assert.deepEqual(validateObject('no_such_table', {}), [{ reason: 'unknown table no_such_table' }]);
  });

  it('has an index function for every declared index, returning strings', () => {
    const values = indexValues('logical_port', port);
    assert.deepEqual(values, {
      name: ['x'],
      network: [uuid(2)],
      device: ['vm-1'],
      host: ['n1'],
      securityGroup: [uuid(4)],
      subnet: [uuid(3)],
      parent: [],
    });
    for (const t of TABLE_NAMES) assert.equal(TABLES[t].name, t);
    // Unnamed objects are not in the name index (most ports have no name).
    assert.deepEqual(indexValues('logical_port', { ...port, name: '' }).name, []);
  });

  it('checks addresses and prefixes strictly', () => {
    for (const ok of ['10.0.0.1', '0.0.0.0', 'fd00::1', '::', '::ffff:1.2.3.4', '2001:db8:0:0:1:0:0:1'])
      assert.ok(isIp(ok), ok);
    for (const bad of ['10.0.0.256', '010.0.0.1', '10.0.0', 'fd00:::1', '1:2:3:4:5:6:7:8:9', 'banana', ''])
      assert.ok(!isIp(bad), bad);
    for (const ok of ['10.0.0.0/8', '10.0.0.1/32', '0.0.0.0/0', 'fd00::/64', '::/0'])
      assert.ok(isCidr(ok), ok);
    for (const bad of ['10.0.0.1/8', '10.0.0.0/33', 'fd00::1/64', '10.0.0.0', '10.0.0.0/08'])
      assert.ok(!isCidr(bad), bad);
  });

  it('registers every format its schemas use (TypeBox would accept unknown formats silently)', () => {
    const used = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        const o = node as Record<string, unknown>;
        if (typeof o['format'] === 'string') used.add(o['format']);
        Object.values(o).forEach(walk);
      }
    };
    for (const t of TABLE_NAMES) walk(TABLES[t].schema);
    for (const f of used) assert.ok((FORMATS as readonly string[]).includes(f), `format ${f} is registered`);
  });

  it('documents every error code in one catalogue', () => {
    for (const [code, text] of Object.entries(ERROR_CODES)) {
      assert.match(code, /^WEIR_[A-Z]+_[A-Z_]+$/);
      assert.ok(text.length > 10);
    }
    // Every code thrown anywhere in the workspace's sources is in the catalogue.
    const thrown = new Set<string>();
    for (const pkg of ['model', 'nbdb', 'core']) {
      const root = new URL(`../../${pkg}/src/`, import.meta.url);
      const walk = (dir: URL): void => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          if (entry.isDirectory()) walk(new URL(`${entry.name}/`, dir));
          else if (entry.name.endsWith('.ts'))
            for (const m of readFileSync(new URL(entry.name, dir), 'utf8').matchAll(
              /'(WEIR_[A-Z]+_[A-Z_]*[A-Z])'/g,
            ))
              thrown.add(m[1] as string);
        }
      };
      walk(root);
    }
    for (const code of thrown) assert.ok(code in ERROR_CODES, `${code} is in ERROR_CODES`);
  });
});
