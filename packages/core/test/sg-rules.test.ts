// Security group rules as Neutron canonicalises and compares them, plus group updates with tags,
// If-Match and the rule quota (409 OverQuota).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isWeirError } from '@weir/model';
import {
  canonicalRule,
  convertProtocol,
  createSecurityGroup,
  createSecurityGroupRule,
  deleteSecurityGroup,
  ensureDefaultSecurityGroup,
  updateSecurityGroup,
  type RuleFields,
} from '../src/index.js';
import { newEnv, type Env } from './helpers/env.js';

let env: Env;
beforeEach(async () => {
  env = await newEnv();
});
afterEach(async () => {
  await env.close();
});

function refused(rule: RuleFields): { kind: string; message: string } {
  try {
    canonicalRule(rule);
  } catch (e) {
    assert.ok(isWeirError(e), String(e));
    return { kind: e.kind ?? e.code, message: e.message };
  }
  assert.fail(`accepted ${JSON.stringify(rule)}`);
}

async function rejectsKind(p: Promise<unknown>, kind: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isWeirError(e), String(e));
    assert.equal(e.kind ?? e.code, kind, e.message);
    return true;
  });
}

describe('security group rules (Neutron canonical forms)', () => {
  it('converts protocols like convert_protocol', () => {
    assert.equal(convertProtocol('TCP'), 'tcp');
    assert.equal(convertProtocol(17), '17');
    assert.equal(convertProtocol('any'), undefined);
    assert.equal(convertProtocol(null), undefined);
    for (const bad of ['', 'banana', 256, '-1']) {
      assert.throws(
        () => convertProtocol(bad),
        (e: unknown) =>
          isWeirError(e) &&
          e.kind === 'SecurityGroupRuleInvalidProtocol' &&
          e.message.includes("(None, 'any', 'ah', 'dccp'") &&
          e.message.endsWith('and integer representations [0 to 255] are supported.'),
      );
    }
  });

  it('canonicalises IPv6 ICMP, the full port range and prefixes', () => {
    assert.equal(
      canonicalRule({ direction: 'ingress', ethertype: 'IPv6', protocol: 'icmp' }).protocol,
      'ipv6-icmp',
    );
    assert.equal(canonicalRule({ direction: 'ingress', ethertype: 'IPv6', protocol: 1 }).protocol, '58');
    const all = canonicalRule({
      direction: 'ingress',
      protocol: 'tcp',
      portRangeMin: 1,
      portRangeMax: 65535,
    });
    assert.equal(all.portRangeMin, undefined);
    assert.equal(all.portRangeMax, undefined);
    assert.equal(
      canonicalRule({ direction: 'ingress', remoteIpPrefix: '10.1.2.3' }).remoteIpPrefix,
      '10.1.2.3/32',
    );
    assert.equal(
      canonicalRule({ direction: 'ingress', remoteIpPrefix: '10.1.2.3/16' }).remoteIpPrefix,
      '10.1.0.0/16',
    );
  });

  it("refuses with Neutron's kinds and messages", () => {
    const cases: [RuleFields, string, string][] = [
      [
        { direction: 'ingress', portRangeMin: 22, portRangeMax: 22 },
        'SecurityGroupProtocolRequiredWithPorts',
        'Must also specify protocol if port range is given.',
      ],
      [
        { direction: 'ingress', protocol: 'tcp', portRangeMin: 80, portRangeMax: 79 },
        'SecurityGroupInvalidPortRange',
        'For TCP/UDP protocols, port_range_min must be <= port_range_max',
      ],
      [
        { direction: 'ingress', protocol: 'tcp', portRangeMin: 0, portRangeMax: 79 },
        'SecurityGroupInvalidPortValue',
        'Invalid value for port 0',
      ],
      [
        { direction: 'ingress', protocol: 'tcp', portRangeMin: 80, portRangeMax: 65536 },
        'SecurityGroupInvalidPortValue',
        'Invalid value for port 65536',
      ],
      [
        { direction: 'ingress', protocol: 'icmp', portRangeMin: 1, portRangeMax: 256 },
        'SecurityGroupInvalidIcmpValue',
        'Invalid value for ICMP code (port_range_max) 256. It must be 0 to 255.',
      ],
      [
        { direction: 'ingress', protocol: 'icmp', portRangeMax: 6 },
        'SecurityGroupMissingIcmpType',
        'ICMP code (port-range-max) 6 is provided but ICMP type (port-range-min) is missing.',
      ],
      [
        { direction: 'ingress', protocol: 'gre', portRangeMin: 1, portRangeMax: 2 },
        'SecurityGroupInvalidProtocolForPort',
        'Ports cannot be specified for protocol 47. Ports are only supported for DCCP, SCTP, TCP, UDP, UDPLITE.',
      ],
      [
        { direction: 'ingress', ethertype: 'IPv6', remoteIpPrefix: '10.0.0.0/8' },
        'SecurityGroupRuleParameterConflict',
        'Conflicting value ethertype IPv6 for CIDR 10.0.0.0/8',
      ],
      [
        { direction: 'ingress', remoteIpPrefix: '192.168.1.1/33' },
        'InvalidCIDR',
        'Invalid CIDR 192.168.1.1/33 given as IP prefix.',
      ],
      [
        { direction: 'ingress', ethertype: 'IPv4', protocol: 'ipv6-icmp' },
        'SecurityGroupEthertypeConflictWithProtocol',
        'Invalid ethertype IPv4 for protocol ipv6-icmp.',
      ],
    ];
    for (const [rule, kind, message] of cases) {
      assert.deepEqual(refused(rule), { kind, message }, JSON.stringify(rule));
    }
  });

  it('finds duplicates by protocol number and treats an all-matching prefix as none', async () => {
    const sg = await createSecurityGroup(env.ctx, env.alice, { name: 'web' });
    const base = { securityGroupId: sg.id, direction: 'ingress' as const };
    const first = await createSecurityGroupRule(env.ctx, env.alice, {
      ...base,
      protocol: 'tcp',
      portRangeMin: 22,
      portRangeMax: 22,
    });
    await assert.rejects(
      createSecurityGroupRule(env.ctx, env.alice, {
        ...base,
        protocol: '6',
        portRangeMin: 22,
        portRangeMax: 22,
      }),
      (e: unknown) =>
        isWeirError(e) &&
        e.kind === 'SecurityGroupRuleExists' &&
        e.message === `Security group rule already exists. Rule id is ${first.id}.`,
    );
    await createSecurityGroupRule(env.ctx, env.alice, { ...base, protocol: 'udp' });
    await rejectsKind(
      createSecurityGroupRule(env.ctx, env.alice, { ...base, protocol: 'udp', remoteIpPrefix: '0.0.0.0/0' }),
      'SecurityGroupRuleExists',
    );
  });

  it('counts rules against the quota with 409 OverQuota, new groups included', async () => {
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
          limits: { security_group_rule: 7 },
        },
      },
    ]);
    const sg = await createSecurityGroup(env.ctx, env.bob, { name: 'a' }); // default 4 + 2 rules
    await createSecurityGroupRule(env.ctx, env.bob, { securityGroupId: sg.id, direction: 'ingress' });
    await rejectsKind(
      createSecurityGroupRule(env.ctx, env.bob, {
        securityGroupId: sg.id,
        direction: 'ingress',
        protocol: 'tcp',
      }),
      'OverQuota',
    );
    await rejectsKind(createSecurityGroup(env.ctx, env.bob, { name: 'b' }), 'OverQuota');
  });

  it('updates tags and honours If-Match; the default group cannot be renamed, "default" is no name', async () => {
    const sg = await createSecurityGroup(env.ctx, env.alice, { name: 'web' });
    const tagged = await updateSecurityGroup(
      env.ctx,
      env.alice,
      sg.id,
      { tags: ['a'] },
      { ifMatchVersion: sg.version },
    );
    assert.deepEqual(tagged.tags, ['a']);
    await rejectsKind(
      updateSecurityGroup(env.ctx, env.alice, sg.id, { description: 'x' }, { ifMatchVersion: sg.version }),
      'RevisionNumberConstraintFailed',
    );
    await rejectsKind(
      updateSecurityGroup(env.ctx, env.alice, sg.id, { name: 'Default' }),
      'SecurityGroupDefaultAlreadyExists',
    );
    const def = await ensureDefaultSecurityGroup(env.ctx, env.alice.projectId);
    await rejectsKind(
      updateSecurityGroup(env.ctx, env.alice, def.id, { name: 'renamed' }),
      'SecurityGroupCannotUpdateDefault',
    );
    await rejectsKind(
      deleteSecurityGroup(env.ctx, env.alice, sg.id, { ifMatchVersion: sg.version }),
      'RevisionNumberConstraintFailed',
    );
    await deleteSecurityGroup(env.ctx, env.alice, sg.id, { ifMatchVersion: tagged.version });
  });
});
