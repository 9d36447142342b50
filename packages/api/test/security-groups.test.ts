// Neutron security groups and rules over HTTP: the default group made on first use, CRUD, rule
// canonical forms and Neutron's refusals (messages included), the default group's protections,
// a group's security_group_rules agreeing with the rules resource, visibility.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asProject, startTestServer, type TestServer } from './helpers/server.js';
import type { Many, One } from './helpers/wire.js';
import { made, port, tenantNetwork, type RuleView, type SecurityGroupView } from './helpers/wire-l3.js';

type G = One<'security_group', SecurityGroupView>;
type Gs = Many<'security_groups', SecurityGroupView>;
type Rule = One<'security_group_rule', RuleView>;
type Rules = Many<'security_group_rules', RuleView>;

const ALICE_ID = 'a1'.repeat(16);
const ALICE = asProject(ALICE_ID);
const BOB = asProject('b2'.repeat(16));

describe('Neutron security groups', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });
  const group = (
    body: Record<string, unknown>,
    headers: Record<string, string> = ALICE,
  ): Promise<SecurityGroupView> =>
    made<SecurityGroupView>(s, '/v2.0/security-groups', 'security_group', body, headers);
  const addRule = (body: Record<string, unknown>, headers: Record<string, string> = ALICE) =>
    s.neutron<Rule>('POST', '/v2.0/security-group-rules', { security_group_rule: body }, headers);
  const summary = (r: RuleView): string =>
    `${r.direction}/${r.ethertype}/${r.protocol ?? '*'}/${r.remote_group_id === null ? 'any' : 'group'}`;

  /** The group's embedded rules and the rules resource filtered by the group must be the same. */
  async function assertViewsAgree(id: string, headers: Record<string, string> = ALICE): Promise<RuleView[]> {
    const g = await s.neutron<G>('GET', `/v2.0/security-groups/${id}`, undefined, headers);
    const rules = await s.neutron<Rules>(
      'GET',
      `/v2.0/security-group-rules?security_group_id=${id}`,
      undefined,
      headers,
    );
    const byId = (a: RuleView, b: RuleView): number => a.id.localeCompare(b.id);
    assert.deepEqual(
      [...g.body.security_group.security_group_rules].sort(byId),
      [...rules.body.security_group_rules].sort(byId),
    );
    return rules.body.security_group_rules;
  }

  it('a project gets its default group (Neutron’s default rules) when it first lists, exactly once', async () => {
    const first = await s.neutron<Gs>('GET', '/v2.0/security-groups', undefined, BOB);
    assert.equal(first.status, 200);
    assert.equal(first.body.security_groups.length, 1);
    const def = first.body.security_groups[0] as SecurityGroupView;
    assert.equal(def.name, 'default');
    assert.equal(def.description, 'Default security group');
    assert.equal(def.stateful, true);
    assert.deepEqual(def.security_group_rules.map(summary).sort(), [
      'egress/IPv4/*/any',
      'egress/IPv6/*/any',
      'ingress/IPv4/*/group',
      'ingress/IPv6/*/group',
    ]);
    for (const r of def.security_group_rules) {
      if (r.direction === 'ingress') assert.equal(r.remote_group_id, def.id);
    }
    const again = await s.neutron<Gs>('GET', '/v2.0/security-groups', undefined, BOB);
    assert.deepEqual(
      again.body.security_groups.map((g) => g.id),
      [def.id],
    );
    await assertViewsAgree(def.id, BOB);
  });

  it('create, show, list, update, delete; rules go with their group', async () => {
    const g = await group({ name: 'web', description: 'front' });
    assert.equal(g.stateful, true);
    assert.deepEqual(g.security_group_rules.map(summary).sort(), ['egress/IPv4/*/any', 'egress/IPv6/*/any']);
    const listed = await s.neutron<Gs>(
      'GET',
      '/v2.0/security-groups?name=web&fields=id&fields=name',
      undefined,
      ALICE,
    );
    assert.deepEqual(listed.body.security_groups, [{ id: g.id, name: 'web' }]);
    const u = await s.neutron<G>(
      'PUT',
      `/v2.0/security-groups/${g.id}`,
      { security_group: { name: 'web2', description: 'back', stateful: false } },
      ALICE,
    );
    assert.equal(u.status, 200, u.text);
    assert.equal(u.body.security_group.name, 'web2');
    assert.equal(u.body.security_group.description, 'back');
    assert.equal(u.body.security_group.stateful, false);
    const ssh = await addRule({
      security_group_id: g.id,
      direction: 'ingress',
      protocol: 'tcp',
      port_range_min: 22,
      port_range_max: 22,
    });
    assert.equal(ssh.status, 201, ssh.text);
    await assertViewsAgree(g.id);
    assert.equal((await s.neutron('DELETE', `/v2.0/security-groups/${g.id}`, undefined, ALICE)).status, 204);
    const gone = await s.neutron('GET', `/v2.0/security-groups/${g.id}`, undefined, ALICE);
    assert.deepEqual(gone.error, {
      type: 'SecurityGroupNotFound',
      message: `Security group ${g.id} does not exist`,
    });
    const rule = await s.neutron(
      'GET',
      `/v2.0/security-group-rules/${ssh.body.security_group_rule.id}`,
      undefined,
      ALICE,
    );
    assert.equal(rule.status, 404);
    assert.deepEqual(rule.error, {
      type: 'SecurityGroupRuleNotFound',
      message: `Security group rule ${ssh.body.security_group_rule.id} does not exist`,
    });
  });

  it('rules: canonical forms, show, delete, both views agree', async () => {
    const g = await group({ name: 'canon' });
    const created: RuleView[] = [];
    const cases: [Record<string, unknown>, Partial<RuleView>][] = [
      [{ protocol: 17 }, { protocol: '17', ethertype: 'IPv4' }],
      [
        { protocol: 'TCP', port_range_min: 80, port_range_max: 81 },
        { protocol: 'tcp', port_range_min: 80, port_range_max: 81 },
      ],
      [{ protocol: 'tcp', remote_ip_prefix: '10.0.0.5/24' }, { remote_ip_prefix: '10.0.0.0/24' }],
      [{ protocol: 'udp', remote_ip_prefix: '192.0.2.7' }, { remote_ip_prefix: '192.0.2.7/32' }],
      [
        { ethertype: 'ipv6', protocol: 'icmp', port_range_min: 128 },
        { ethertype: 'IPv6', protocol: 'ipv6-icmp', port_range_min: 128, port_range_max: null },
      ],
      [
        {
          protocol: 'tcp',
          port_range_min: 1,
          port_range_max: 65535,
          direction: 'egress',
          remote_group_id: g.id,
        },
        { port_range_min: null, port_range_max: null, remote_group_id: g.id },
      ],
      [
        { protocol: 'any', description: 'all' },
        { protocol: null, description: 'all' },
      ],
    ];
    for (const [body, expected] of cases) {
      const r = await addRule({ security_group_id: g.id, direction: 'ingress', ...body });
      assert.equal(r.status, 201, `${JSON.stringify(body)}: ${r.text}`);
      const rule = r.body.security_group_rule;
      for (const [k, v] of Object.entries(expected))
        assert.deepEqual(rule[k as keyof RuleView], v, `${JSON.stringify(body)} ${k}`);
      assert.equal(rule.security_group_id, g.id);
      assert.equal(rule.project_id, ALICE_ID);
      const shown = await s.neutron<Rule>('GET', `/v2.0/security-group-rules/${rule.id}`, undefined, ALICE);
      assert.deepEqual(shown.body.security_group_rule, rule);
      created.push(rule);
    }
    assert.equal((await assertViewsAgree(g.id)).length, 2 + cases.length);
    const first = created[0] as RuleView;
    assert.equal(
      (await s.neutron('DELETE', `/v2.0/security-group-rules/${first.id}`, undefined, ALICE)).status,
      204,
    );
    const left = await assertViewsAgree(g.id);
    assert.ok(!left.some((r) => r.id === first.id));
    const filtered = await s.neutron<Rules>(
      'GET',
      `/v2.0/security-group-rules?security_group_id=${g.id}&protocol=tcp&direction=ingress`,
      undefined,
      ALICE,
    );
    assert.equal(filtered.body.security_group_rules.length, 2);
  });

  it("rule refusals with Neutron's types and messages", async () => {
    const g = await group({ name: 'strict' });
    const other = await group({ name: 'other' });
    const dup = await addRule({
      security_group_id: g.id,
      direction: 'ingress',
      protocol: 'tcp',
      port_range_min: 66,
      port_range_max: 67,
    });
    assert.equal(dup.status, 201);
    const ruleId = dup.body.security_group_rule.id;
    const base = { security_group_id: g.id, direction: 'ingress' };
    const cases: [Record<string, unknown>, number, string, string][] = [
      [
        { port_range_min: 22, port_range_max: 22 },
        400,
        'SecurityGroupProtocolRequiredWithPorts',
        'Must also specify protocol if port range is given.',
      ],
      [
        { protocol: 'tcp', port_range_min: 80, port_range_max: 79 },
        400,
        'SecurityGroupInvalidPortRange',
        'For TCP/UDP protocols, port_range_min must be <= port_range_max',
      ],
      [
        { protocol: 'tcp', port_range_max: 6 },
        400,
        'SecurityGroupInvalidPortRange',
        'For TCP/UDP protocols, port_range_min must be <= port_range_max',
      ],
      [
        { protocol: 'tcp', port_range_min: -16, port_range_max: 80 },
        400,
        'SecurityGroupInvalidPortValue',
        'Invalid value for port -16',
      ],
      [
        { protocol: 'tcp', port_range_min: 80, port_range_max: 65536 },
        400,
        'SecurityGroupInvalidPortValue',
        'Invalid value for port 65536',
      ],
      [
        { protocol: 'icmp', port_range_min: 1, port_range_max: 256 },
        400,
        'SecurityGroupInvalidIcmpValue',
        'Invalid value for ICMP code (port_range_max) 256. It must be 0 to 255.',
      ],
      [
        { protocol: 'icmp', port_range_min: 300, port_range_max: 1 },
        400,
        'SecurityGroupInvalidIcmpValue',
        'Invalid value for ICMP type (port_range_min) 300. It must be 0 to 255.',
      ],
      [
        { protocol: 'icmp', port_range_max: 6 },
        400,
        'SecurityGroupMissingIcmpType',
        'ICMP code (port-range-max) 6 is provided but ICMP type (port-range-min) is missing.',
      ],
      [
        { protocol: 'gre', port_range_min: 1, port_range_max: 2 },
        400,
        'SecurityGroupInvalidProtocolForPort',
        'Ports cannot be specified for protocol 47. Ports are only supported for DCCP, SCTP, TCP, UDP, UDPLITE.',
      ],
      [
        { ethertype: 'bad_ethertype', protocol: 'udp' },
        400,
        'SecurityGroupRuleInvalidEtherType',
        "Security group rule for ethertype 'bad_ethertype' not supported. Allowed values are ['IPv4', 'IPv6'].",
      ],
      [
        { ethertype: 'IPv6', protocol: 'tcp', remote_ip_prefix: '10.0.0.0/8' },
        400,
        'SecurityGroupRuleParameterConflict',
        'Conflicting value ethertype IPv6 for CIDR 10.0.0.0/8',
      ],
      [
        { ethertype: 'IPv4', protocol: 'tcp', remote_ip_prefix: 'fd00::/64' },
        400,
        'SecurityGroupRuleParameterConflict',
        'Conflicting value ethertype IPv4 for CIDR fd00::/64',
      ],
      [
        { protocol: 'tcp', remote_ip_prefix: '192.168.1.1/33' },
        400,
        'InvalidCIDR',
        'Invalid CIDR 192.168.1.1/33 given as IP prefix.',
      ],
      [
        { protocol: 'tcp', remote_ip_prefix: 'bad_prefix' },
        400,
        'InvalidCIDR',
        'Invalid CIDR bad_prefix given as IP prefix.',
      ],
      [
        { ethertype: 'IPv4', protocol: 'ipv6-icmp' },
        400,
        'SecurityGroupEthertypeConflictWithProtocol',
        'Invalid ethertype IPv4 for protocol ipv6-icmp.',
      ],
      [
        { protocol: 'tcp', remote_ip_prefix: '10.0.0.0/8', remote_group_id: other.id },
        400,
        'SecurityGroupMultipleRemoteEntites',
        'Only one of remote_ip_prefix or remote_group_id or remote_address_group_id may be provided.',
      ],
      [
        { protocol: 'tcp', remote_group_id: 'bad_group_id' },
        404,
        'SecurityGroupNotFound',
        'Security group bad_group_id does not exist',
      ],
      [
        { security_group_id: '0f0f0f0f-0000-4000-8000-000000000000' },
        404,
        'SecurityGroupNotFound',
        'Security group 0f0f0f0f-0000-4000-8000-000000000000 does not exist',
      ],
      [
        { direction: 'sideways' },
        400,
        'HTTPBadRequest',
        "Invalid input for direction. Reason: sideways is not in ['ingress', 'egress'].",
      ],
      [
        { protocol: '6', port_range_min: 66, port_range_max: 67 },
        409,
        'SecurityGroupRuleExists',
        `Security group rule already exists. Rule id is ${ruleId}.`,
      ],
    ];
    for (const [body, status, type, message] of cases) {
      const r = await addRule({ ...base, ...body });
      assert.equal(r.status, status, JSON.stringify(body));
      assert.deepEqual(r.error, { type, message }, JSON.stringify(body));
    }
    const badProtocol = await addRule({ ...base, protocol: 'bad_protocol_name' });
    assert.equal(badProtocol.status, 400);
    assert.equal(badProtocol.error?.type, 'SecurityGroupRuleInvalidProtocol');
    assert.match(
      badProtocol.error?.message ?? '',
      /^Security group rule protocol bad_protocol_name not supported\. Only protocol values \(None, 'any', 'ah', .*'vrrp'\) and integer representations \[0 to 255\] are supported\.$/,
    );
    const missing = await s.neutron(
      'POST',
      '/v2.0/security-group-rules',
      { security_group_rule: { security_group_id: g.id } },
      ALICE,
    );
    assert.equal(
      missing.error?.message,
      "Failed to parse request. Required attribute 'direction' not specified",
    );
    assert.equal((await assertViewsAgree(g.id)).length, 3, 'no refused rule was stored');
  });

  it('the default group: no second one, no renaming, no deleting it as a member', async () => {
    const groups = await s.neutron<Gs>('GET', '/v2.0/security-groups?name=default', undefined, ALICE);
    const def = groups.body.security_groups[0] as SecurityGroupView;
    const other = await group({ name: 'plain' });
    const cases: [string, string, unknown, number, string, string][] = [
      [
        'POST',
        '/v2.0/security-groups',
        { security_group: { name: 'default' } },
        409,
        'SecurityGroupDefaultAlreadyExists',
        'Default security group already exists.',
      ],
      [
        'PUT',
        `/v2.0/security-groups/${other.id}`,
        { security_group: { name: 'Default' } },
        409,
        'SecurityGroupDefaultAlreadyExists',
        'Default security group already exists.',
      ],
      [
        'PUT',
        `/v2.0/security-groups/${def.id}`,
        { security_group: { name: 'renamed' } },
        409,
        'SecurityGroupCannotUpdateDefault',
        'Updating default security group not allowed.',
      ],
      [
        'DELETE',
        `/v2.0/security-groups/${def.id}`,
        undefined,
        409,
        'SecurityGroupCannotRemoveDefault',
        'Insufficient rights for removing default security group.',
      ],
    ];
    for (const [method, path, body, status, type, message] of cases) {
      const r = await s.neutron(method, path, body, ALICE);
      assert.equal(r.status, status, `${method} ${path}`);
      assert.deepEqual(r.error, { type, message });
    }
    // Its description may change; an admin may delete it (and listing makes a new one).
    const described = await s.neutron<G>(
      'PUT',
      `/v2.0/security-groups/${def.id}`,
      { security_group: { description: 'mine' } },
      ALICE,
    );
    assert.equal(described.status, 200);
    assert.equal((await s.neutron('DELETE', `/v2.0/security-groups/${def.id}`)).status, 204);
    const fresh = await s.neutron<Gs>('GET', '/v2.0/security-groups?name=default', undefined, ALICE);
    assert.equal(fresh.body.security_groups.length, 1);
    assert.notEqual(fresh.body.security_groups[0]?.id, def.id);
  });

  it('a group in use keeps its statefulness and cannot be deleted', async () => {
    const g = await group({ name: 'used' });
    const net = await tenantNetwork(s, '10.30.0.0/24', ALICE);
    const p = await port(s, net.network.id, ALICE);
    const bound = await s.neutron('PUT', `/v2.0/ports/${p.id}`, { port: { security_groups: [g.id] } }, ALICE);
    assert.equal(bound.status, 200, bound.text);
    const flip = await s.neutron(
      'PUT',
      `/v2.0/security-groups/${g.id}`,
      { security_group: { stateful: false } },
      ALICE,
    );
    assert.equal(flip.status, 409);
    assert.deepEqual(flip.error, { type: 'SecurityGroupInUse', message: `Security Group ${g.id} in use.` });
    const del = await s.neutron('DELETE', `/v2.0/security-groups/${g.id}`, undefined, ALICE);
    assert.equal(del.status, 409);
    assert.equal(del.error?.type, 'SecurityGroupInUse');
  });

  it("others' groups and rules are invisible", async () => {
    const g = await group({ name: 'secret' });
    const r = await addRule({ security_group_id: g.id, direction: 'ingress', protocol: 'tcp' });
    assert.equal((await s.neutron('GET', `/v2.0/security-groups/${g.id}`, undefined, BOB)).status, 404);
    const rule = await s.neutron(
      'GET',
      `/v2.0/security-group-rules/${r.body.security_group_rule.id}`,
      undefined,
      BOB,
    );
    assert.equal(rule.status, 404);
    const bobsRules = await s.neutron<Rules>('GET', '/v2.0/security-group-rules', undefined, BOB);
    assert.ok(!bobsRules.body.security_group_rules.some((x) => x.security_group_id === g.id));
    const intoTheirs = await addRule({ security_group_id: g.id, direction: 'egress', protocol: 'udp' }, BOB);
    assert.equal(intoTheirs.status, 404);
    assert.equal((await s.neutron('DELETE', `/v2.0/security-groups/${g.id}`, undefined, BOB)).status, 404);
  });
});
