import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isWeirError } from '@weir/model';
import {
  createNetwork,
  createPort,
  createSecurityGroup,
  createSecurityGroupRule,
  createSubnet,
  deletePort,
  deleteSecurityGroup,
  deleteSecurityGroupRule,
  ensureDefaultSecurityGroup,
  findRule,
  updateSecurityGroup,
} from '../src/index.js';
import { newEnv, type Env } from './helpers/env.js';

let env: Env;
beforeEach(async () => {
  env = await newEnv();
});
afterEach(async () => {
  await env.close();
});

async function rejectsKind(p: Promise<unknown>, kind: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isWeirError(e), String(e));
    assert.equal(e.kind ?? e.code, kind, e.message);
    return true;
  });
}

describe('security groups', () => {
  it('creates the default group exactly once, even when many racers ask at once', async () => {
    const groups = await Promise.all(
      Array.from({ length: 20 }, () => ensureDefaultSecurityGroup(env.ctx, env.alice.projectId)),
    );
    assert.equal(new Set(groups.map((g) => g.id)).size, 1);
    const all = await env.store.list('security_group', { topic: env.alice.projectId });
    assert.equal(all.items.length, 1);
    const d = all.items[0];
    assert.ok(d);
    assert.deepEqual(
      d.rules.map((r) => `${r.direction}/${r.ethertype}/${r.remoteGroupId === d.id ? 'self' : 'any'}`).sort(),
      ['egress/IPv4/any', 'egress/IPv6/any', 'ingress/IPv4/self', 'ingress/IPv6/self'],
    );
  });

  it('gives new groups allow-all egress and validates rules like Neutron', async () => {
    const sg = await createSecurityGroup(env.ctx, env.alice, { name: 'web' });
    assert.equal(sg.rules.length, 2);
    const ssh = await createSecurityGroupRule(env.ctx, env.alice, {
      securityGroupId: sg.id,
      direction: 'ingress',
      protocol: 'tcp',
      portRangeMin: 22,
      portRangeMax: 22,
      remoteIpPrefix: '10.0.0.1/24',
    });
    assert.equal(ssh.remoteIpPrefix, '10.0.0.0/24');
    await rejectsKind(
      createSecurityGroupRule(env.ctx, env.alice, {
        securityGroupId: sg.id,
        direction: 'ingress',
        protocol: 'tcp',
        portRangeMin: 22,
        portRangeMax: 22,
        remoteIpPrefix: '10.0.0.0/24',
      }),
      'SecurityGroupRuleExists',
    );
    await rejectsKind(
      createSecurityGroupRule(env.ctx, env.alice, {
        securityGroupId: sg.id,
        direction: 'ingress',
        portRangeMin: 22,
        portRangeMax: 22,
      }),
      'SecurityGroupProtocolRequiredWithPorts',
    );
    await rejectsKind(
      createSecurityGroupRule(env.ctx, env.alice, {
        securityGroupId: sg.id,
        direction: 'ingress',
        protocol: 'tcp',
        portRangeMin: 100,
        portRangeMax: 10,
      }),
      'SecurityGroupInvalidPortRange',
    );
    await rejectsKind(
      createSecurityGroupRule(env.ctx, env.alice, {
        securityGroupId: sg.id,
        direction: 'ingress',
        protocol: 'icmp',
        portRangeMin: 300,
      }),
      'SecurityGroupInvalidIcmpValue',
    );
    await rejectsKind(
      createSecurityGroupRule(env.ctx, env.alice, {
        securityGroupId: sg.id,
        direction: 'ingress',
        protocol: 'banana',
      }),
      'SecurityGroupRuleInvalidProtocol',
    );
    await rejectsKind(
      createSecurityGroupRule(env.ctx, env.alice, {
        securityGroupId: sg.id,
        direction: 'ingress',
        ethertype: 'IPv4',
        remoteIpPrefix: 'fd00::/64',
      }),
      'SecurityGroupRuleParameterConflict',
    );
    await rejectsKind(
      createSecurityGroupRule(env.ctx, env.alice, {
        securityGroupId: sg.id,
        direction: 'ingress',
        remoteIpPrefix: '10.0.0.0/8',
        remoteGroupId: sg.id,
      }),
      'SecurityGroupMultipleRemoteEntites',
    );
    const icmp = await createSecurityGroupRule(env.ctx, env.alice, {
      securityGroupId: sg.id,
      direction: 'ingress',
      protocol: 'icmp',
      portRangeMin: 8,
      portRangeMax: 0,
    });
    assert.equal((await findRule(env.ctx, env.alice, icmp.id)).group.id, sg.id);
    await rejectsKind(findRule(env.ctx, env.bob, icmp.id), 'SecurityGroupRuleNotFound');
    await deleteSecurityGroupRule(env.ctx, env.alice, icmp.id);
    await rejectsKind(findRule(env.ctx, env.alice, icmp.id), 'SecurityGroupRuleNotFound');
  });

  it('refuses to delete a group in use and the default group (non-admin), cascades remote-group rules', async () => {
    const n = await createNetwork(env.ctx, env.alice, {});
    await createSubnet(env.ctx, env.alice, { networkId: n.id, cidr: '10.0.0.0/24' });
    const web = await createSecurityGroup(env.ctx, env.alice, { name: 'web' });
    const db = await createSecurityGroup(env.ctx, env.alice, { name: 'db' });
    await createSecurityGroupRule(env.ctx, env.alice, {
      securityGroupId: db.id,
      direction: 'ingress',
      protocol: 'tcp',
      portRangeMin: 5432,
      portRangeMax: 5432,
      remoteGroupId: web.id,
    });
    const p = await createPort(env.ctx, env.alice, { networkId: n.id, securityGroups: [web.id] });
    await rejectsKind(deleteSecurityGroup(env.ctx, env.alice, web.id), 'SecurityGroupInUse');
    await deletePort(env.ctx, env.alice, p.id);
    await deleteSecurityGroup(env.ctx, env.alice, web.id);
    const after = await env.store.get('security_group', db.id);
    assert.ok(
      after && !after.rules.some((r) => r.remoteGroupId === web.id),
      'rules using the deleted group went with it',
    );
    const def = await ensureDefaultSecurityGroup(env.ctx, env.alice.projectId);
    await rejectsKind(deleteSecurityGroup(env.ctx, env.alice, def.id), 'SecurityGroupCannotRemoveDefault');
    await rejectsKind(
      updateSecurityGroup(env.ctx, env.alice, def.id, { name: 'other' }),
      'SecurityGroupCannotUpdateDefault',
    );
    await rejectsKind(
      createSecurityGroup(env.ctx, env.alice, { name: 'default' }),
      'SecurityGroupDefaultAlreadyExists',
    );
  });

  it('enforces the security_group quota', async () => {
    await env.store.commit([
      {
        kind: 'create',
        table: 'quota',
        object: {
          id: env.bob.projectId,
          topic: env.bob.projectId,
          version: 0,
          uniqueKey: 1,
          name: '',
          description: '',
          tags: [],
          createdAt: '2026-01-01T00:00:00Z',
          updatedAt: '2026-01-01T00:00:00Z',
          limits: { security_group: 2 },
        },
      },
    ]);
    await createSecurityGroup(env.ctx, env.bob, { name: 'one' }); // + the default group = 2
    await rejectsKind(createSecurityGroup(env.ctx, env.bob, { name: 'two' }), 'OverQuota');
  });
});
