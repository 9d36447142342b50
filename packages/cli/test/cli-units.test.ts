// The CLI's boundaries, without a switch: `weir controller` flags validated once (every error
// names its flag), `weir lab up` arguments, the lab state file validated as input, `weir trace`
// output annotated with table names and owners, and `--from VM` filling the VM's source fields.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PIPELINE, makeCookie } from '@weir/controller';
import { FlagError, controllerConfig } from '../src/commands/controller.js';
import { annotateTrace, fromVm } from '../src/commands/flows.js';
import { LabStateError, cloudsYaml, readLabState } from '../src/lab/state.js';
import { UsageError, upArgs } from '../src/lab/up.js';

const good = { db: 'memory:', chassis: 'n1', ovsdb: 'unix:/run/ovs/db.sock', tunnelIp: '192.0.2.1' };

describe('weir controller flags', () => {
  it('accepts a complete set and derives the OpenFlow socket under the OVSDB run directory', () => {
    const c = controllerConfig(good);
    assert.equal(c.openflow, 'unix:/run/ovs/weir-of.sock');
    assert.deepEqual(c.tunnelTypes, ['geneve', 'vxlan']);
    assert.equal(c.bridge, 'br-int');
    assert.deepEqual(controllerConfig({ ...good, metricsListen: '127.0.0.1:9650' }).metricsListen, {
      host: '127.0.0.1',
      port: 9650,
    });
  });

  for (const [flags, flag] of [
    [{ db: good.db, ovsdb: good.ovsdb, tunnelIp: good.tunnelIp }, '--chassis'],
    [{ ...good, chassis: 'bad name!' }, '--chassis'],
    [{ ...good, tunnelIp: '300.1.1.1' }, '--tunnel-ip'],
    [{ ...good, ovsdb: 'db.sock' }, '--ovsdb'],
    [{ ...good, db: 'mysql://x' }, '--db'],
    [{ ...good, ovsdb: 'tcp:1.2.3.4:6640' }, '--openflow'],
    [{ ...good, tunnelTypes: 'geneve,gre' }, '--tunnel-types'],
    [{ ...good, logLevel: 'loud' }, '--log-level'],
    [{ ...good, metricsListen: 'localhost' }, '--metrics-listen'],
  ] as const) {
    it(`refuses ${JSON.stringify(flags).slice(0, 60)}… naming ${flag}`, () => {
      assert.throws(
        () => controllerConfig(flags),
        (e: unknown) => e instanceof FlagError && e.message.includes(flag),
      );
    });
  }
});

describe('weir lab up arguments', () => {
  it('defaults and normalises', () => {
    const a = upArgs({ state: '/tmp/s' });
    assert.deepEqual(a.slice(0, 8), [
      '--state',
      '/tmp/s',
      '--name',
      'weir',
      '--nodes',
      '3',
      '--db',
      'memory:',
    ]);
    assert.ok(upArgs({ state: '/tmp/s', db: 'file:rel/x.db' })[7]?.startsWith('file:/'));
  });
  for (const flags of [
    { state: '/s', nodes: '0' },
    { state: '/s', nodes: '25' },
    { state: '/s', nodes: 'x' },
    { state: '/s', db: 'redis' },
    { state: '/s', name: 'Bad_Name' },
    { state: '/s', apiPort: '80' },
  ]) {
    it(`refuses ${JSON.stringify(flags)}`, () => assert.throws(() => upArgs(flags), UsageError));
  }
});

describe('lab state file', () => {
  it('refuses a file that is not a lab state, and reads none when absent', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-state-'));
    try {
      assert.equal(readLabState(dir), undefined);
      writeFileSync(join(dir, 'lab.json'), '{not json');
      assert.throws(() => readLabState(dir), LabStateError);
      writeFileSync(join(dir, 'lab.json'), JSON.stringify({ name: 'x', status: 'ready' }));
      assert.throws(() => readLabState(dir), LabStateError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('clouds.yaml names the weir-lab cloud with both endpoints and auth none', () => {
    const y = cloudsYaml({
      network: 'http://127.0.0.1:1',
      loadBalancer: 'http://127.0.0.1:2',
      identity: 'x',
    });
    assert.match(y, /weir-lab:\n\s+auth_type: none/);
    assert.match(y, /network_endpoint_override: http:\/\/127\.0\.0\.1:1/);
    assert.match(y, /load_balancer_endpoint_override: http:\/\/127\.0\.0\.1:2/);
  });
});

describe('weir trace', () => {
  it('names tables and cookie owners in ofproto/trace output', () => {
    const l2 = PIPELINE.table('L2Lookup').id;
    const cookie = makeCookie({ generation: 3, app: 'l2', owner: { kind: 'port', key: 17 } });
    const out = annotateTrace(
      ` ${l2}. reg4=0x1,dl_dst=fa:16:3e:00:00:01, priority 2000, cookie 0x${cookie.toString(16)}\n    goto_table:${l2 + 1}`,
    );
    assert.match(out, new RegExp(`${l2}\\. \\[L2Lookup\\]`));
    assert.match(out, /gen 3 l2 port:17/);
    assert.match(out, /goto_table:Flood/);
  });

  it('--from fills in_port, the MAC, and the ARP sender or IP source unless given', () => {
    const vm = { nic: 'vvm1', mac: 'fa:16:3e:00:00:01', ip: '10.0.0.5' };
    assert.equal(
      fromVm('arp,arp_op=1,arp_tpa=10.0.0.6', vm),
      'arp,arp_op=1,arp_tpa=10.0.0.6,in_port=vvm1,dl_src=fa:16:3e:00:00:01,arp_sha=fa:16:3e:00:00:01,arp_spa=10.0.0.5,dl_dst=ff:ff:ff:ff:ff:ff',
    );
    assert.equal(
      fromVm('icmp,nw_dst=10.0.0.6', vm),
      'icmp,nw_dst=10.0.0.6,in_port=vvm1,dl_src=fa:16:3e:00:00:01,nw_src=10.0.0.5',
    );
    assert.equal(
      fromVm('icmp,nw_src=10.9.9.9', vm),
      'icmp,nw_src=10.9.9.9,in_port=vvm1,dl_src=fa:16:3e:00:00:01',
    );
  });
});
