// Security groups and their rules (embedded in the group: one CAS covers both), with Neutron's
// defaults: every project has a "default" group (created on first need, exactly once even under
// concurrency, through a claim), new groups allow all egress, rule validation and duplicates.
import type { SecurityGroup, SecurityGroupRuleT } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import { formatPrefix, parsePrefix } from '../addr.js';
import type { Actor, CoreContext } from '../context.js';
import { badRequest, conflict, forbidden, inUse, invalidInput, notFound } from '../errors.js';
import { baseFields, isoSeconds, readOwned, touch, type BaseInput } from '../objects.js';
import { checkQuota } from '../quota.js';
import { withRetries } from '../retry.js';

const defaultNamespace = (projectId: string): string => `default-sg:${projectId}`;

export interface SecurityGroupInput extends BaseInput {
  readonly stateful?: boolean;
  readonly projectId?: string;
}

export interface RuleInput {
  readonly securityGroupId: string;
  readonly direction: 'ingress' | 'egress';
  readonly ethertype?: 'IPv4' | 'IPv6';
  readonly protocol?: string | null;
  readonly portRangeMin?: number | null;
  readonly portRangeMax?: number | null;
  readonly remoteIpPrefix?: string | null;
  readonly remoteGroupId?: string | null;
  readonly description?: string;
}

const PROTOCOL_NUMBERS: Record<string, number> = {
  ah: 51,
  dccp: 33,
  egp: 8,
  esp: 50,
  gre: 47,
  icmp: 1,
  icmpv6: 58,
  igmp: 2,
  ipip: 4,
  ipv6_encap: 41,
  ipv6_frag: 44,
  ipv6_icmp: 58,
  ipv6_nonxt: 59,
  ipv6_opts: 60,
  ipv6_route: 43,
  ospf: 89,
  pgm: 113,
  rsvp: 46,
  sctp: 132,
  tcp: 6,
  udp: 17,
  udplite: 136,
  vrrp: 112,
};
const PORT_PROTOCOLS = new Set([6, 17, 33, 132, 136]);

function newRule(
  ctx: CoreContext,
  r: Omit<SecurityGroupRuleT, 'id' | 'createdAt' | 'updatedAt' | 'revision' | 'description'> & {
    description?: string;
  },
): SecurityGroupRuleT {
  const now = isoSeconds(ctx.now());
  return {
    id: ctx.newId(),
    description: '',
    createdAt: now,
    updatedAt: now,
    revision: 0,
    ...r,
    ...(r.description === undefined ? {} : { description: r.description }),
  };
}

function egressAll(ctx: CoreContext): SecurityGroupRuleT[] {
  return [
    newRule(ctx, { direction: 'egress', ethertype: 'IPv4' }),
    newRule(ctx, { direction: 'egress', ethertype: 'IPv6' }),
  ];
}

export async function createSecurityGroup(
  ctx: CoreContext,
  actor: Actor,
  input: SecurityGroupInput,
): Promise<SecurityGroup> {
  const topic = input.projectId ?? actor.projectId;
  if (!actor.admin && topic !== actor.projectId)
    throw forbidden('(rule:create_security_group) is disallowed by policy');
  if (input.name === 'default') {
    throw conflict('SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');
  }
  // Every project has its default group before it creates its first one of its own.
  await ensureDefaultSecurityGroup(ctx, topic);
  await checkQuota(ctx, topic, 'security_group', 'security_group');
  const base = await baseFields(ctx, 'security_group', topic, input);
  const sg: SecurityGroup = { ...base, stateful: input.stateful ?? true, rules: egressAll(ctx) };
  const result = await ctx.store.commit([{ kind: 'create', table: 'security_group', object: sg }]);
  ctx.stats.commits++;
  return result.written[0] as SecurityGroup;
}

/** The project's "default" group, created if missing — exactly once, whoever races. */
export async function ensureDefaultSecurityGroup(
  ctx: CoreContext,
  projectId: string,
): Promise<SecurityGroup> {
  return withRetries(ctx, 'ensure default security group', async () => {
    const claims = await ctx.store.listClaims(defaultNamespace(projectId));
    const owner = claims[0]?.owner;
    if (owner) {
      const existing = await ctx.store.get('security_group', owner);
      if (existing) return existing;
    }
    const base = await baseFields(ctx, 'security_group', projectId, {
      name: 'default',
      description: 'Default security group',
    });
    const rules = [
      ...egressAll(ctx),
      newRule(ctx, { direction: 'ingress', ethertype: 'IPv4', remoteGroupId: base.id }),
      newRule(ctx, { direction: 'ingress', ethertype: 'IPv6', remoteGroupId: base.id }),
    ];
    const sg: SecurityGroup = { ...base, stateful: true, rules };
    // If someone else creates it first, our claim fails and the retry finds theirs.
    const result = await ctx.store.commit([
      { kind: 'claim', namespace: defaultNamespace(projectId), key: 'default', owner: sg.id },
      { kind: 'create', table: 'security_group', object: sg },
    ]);
    ctx.stats.commits++;
    return result.written[0] as SecurityGroup;
  });
}

export async function updateSecurityGroup(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  patch: { name?: string; description?: string; stateful?: boolean },
): Promise<SecurityGroup> {
  return withRetries(ctx, 'update security group', async () => {
    const current = await readOwned(ctx, actor, 'security_group', 'security_group', id);
    if (current.name === 'default' && patch.name !== undefined && patch.name !== 'default') {
      throw conflict('SecurityGroupCannotUpdateDefault', 'Updating default security group not allowed.');
    }
    if (patch.stateful !== undefined && patch.stateful !== current.stateful) {
      if ((await ctx.store.count('logical_port', { index: { name: 'securityGroup', value: id } })) > 0)
        throw inUse('SecurityGroupInUse', `Security Group ${id} in use.`);
    }
    const next = touch(ctx, {
      ...current,
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.description === undefined ? {} : { description: patch.description }),
      ...(patch.stateful === undefined ? {} : { stateful: patch.stateful }),
    });
    const result = await ctx.store.commit([{ kind: 'update', table: 'security_group', object: next }]);
    ctx.stats.commits++;
    return result.written[0] as SecurityGroup;
  });
}

export async function deleteSecurityGroup(ctx: CoreContext, actor: Actor, id: string): Promise<void> {
  await withRetries(ctx, 'delete security group', async () => {
    const sg = await readOwned(ctx, actor, 'security_group', 'security_group', id);
    if (sg.name === 'default' && !actor.admin) {
      throw conflict(
        'SecurityGroupCannotRemoveDefault',
        'Insufficient rights for removing default security group.',
      );
    }
    if ((await ctx.store.count('logical_port', { index: { name: 'securityGroup', value: id } })) > 0)
      throw inUse('SecurityGroupInUse', `Security Group ${id} in use.`);
    // Rules of other groups that use this one as their remote group go with it (Neutron cascades).
    const referring = await ctx.store.list('security_group', { index: { name: 'remoteGroup', value: id } });
    const ops: WriteOp[] = [
      { kind: 'checkEmpty', table: 'logical_port', index: { name: 'securityGroup', value: id } },
    ];
    for (const other of referring.items) {
      if (other.id === id) continue;
      ops.push({
        kind: 'update',
        table: 'security_group',
        object: touch(ctx, { ...other, rules: other.rules.filter((r) => r.remoteGroupId !== id) }),
      });
    }
    ops.push({ kind: 'delete', table: 'security_group', id, expectedVersion: sg.version });
    if (sg.name === 'default')
      ops.push({ kind: 'release', namespace: defaultNamespace(sg.topic), key: 'default', owner: id });
    await ctx.store.commit(ops);
    ctx.stats.commits++;
  });
}

function normaliseProtocol(
  protocol: string | null | undefined,
  ethertype: 'IPv4' | 'IPv6',
): { text?: string; number?: number } {
  if (protocol === undefined || protocol === null || protocol === '' || protocol === 'any') return {};
  const lower = protocol.toLowerCase();
  if (/^\d+$/.test(lower)) {
    const n = Number(lower);
    if (n > 255)
      throw badRequest(
        'SecurityGroupRuleInvalidProtocol',
        `Security group rule protocol ${protocol} not supported. Only protocol values [ah, dccp, egp, esp, gre, icmp, icmpv6, igmp, ipip, ipv6-encap, ipv6-frag, ipv6-icmp, ipv6-nonxt, ipv6-opts, ipv6-route, ospf, pgm, rsvp, sctp, tcp, udp, udplite, vrrp] and integer representations [0 to 255] are supported.`,
      );
    return { text: lower, number: n };
  }
  const key = lower.replace(/-/g, '_');
  const n = PROTOCOL_NUMBERS[key];
  if (n === undefined) {
    throw badRequest(
      'SecurityGroupRuleInvalidProtocol',
      `Security group rule protocol ${protocol} not supported. Only protocol values [ah, dccp, egp, esp, gre, icmp, icmpv6, igmp, ipip, ipv6-encap, ipv6-frag, ipv6-icmp, ipv6-nonxt, ipv6-opts, ipv6-route, ospf, pgm, rsvp, sctp, tcp, udp, udplite, vrrp] and integer representations [0 to 255] are supported.`,
    );
  }
  if (ethertype === 'IPv4' && n === 58) {
    throw badRequest(
      'SecurityGroupEthertypeConflictWithProtocol',
      `Invalid ethertype IPv4 for protocol ${protocol}.`,
    );
  }
  return { text: lower, number: n };
}

export async function createSecurityGroupRule(
  ctx: CoreContext,
  actor: Actor,
  input: RuleInput,
): Promise<SecurityGroupRuleT> {
  const ethertype = input.ethertype ?? 'IPv4';
  const proto = normaliseProtocol(input.protocol, ethertype);
  const min = input.portRangeMin ?? undefined;
  const max = input.portRangeMax ?? undefined;
  if (min !== undefined || max !== undefined) {
    if (proto.number === undefined)
      throw badRequest(
        'SecurityGroupProtocolRequiredWithPorts',
        'Must also specify protocol if port range is given.',
      );
    if (proto.number === 1 || proto.number === 58) {
      if ((min !== undefined && (min < 0 || min > 255)) || (max !== undefined && (max < 0 || max > 255))) {
        throw badRequest(
          'SecurityGroupRuleInvalidIcmpValue',
          `Invalid value for ICMP field (type or code): ${min ?? max}. It must be 0 to 255.`,
        );
      }
      if (min === undefined && max !== undefined)
        throw badRequest(
          'SecurityGroupMissingIcmpType',
          `ICMP code (port-range-max) ${max} is provided but ICMP type (port-range-min) is missing.`,
        );
    } else if (PORT_PROTOCOLS.has(proto.number)) {
      if (min === undefined || max === undefined || min < 1 || max < 1 || min > max) {
        throw badRequest(
          'SecurityGroupInvalidPortRange',
          'For TCP/UDP protocols, port_range_min must be <= port_range_max',
        );
      }
    } else {
      throw badRequest(
        'SecurityGroupInvalidProtocolForPortRange',
        `Invalid protocol ${input.protocol ?? ''} for port range, only supported for TCP, UDP, UDPLITE, SCTP and DCCP.`,
      );
    }
  }
  let remotePrefix: string | undefined;
  if (input.remoteIpPrefix) {
    const p =
      parsePrefix(input.remoteIpPrefix, false) ??
      parsePrefix(`${input.remoteIpPrefix}/${input.remoteIpPrefix.includes(':') ? 128 : 32}`, false);
    if (!p) throw invalidInput(`'${input.remoteIpPrefix}' is not a valid IP subnet`, 'remote_ip_prefix');
    if ((p.version === 4) !== (ethertype === 'IPv4')) {
      throw badRequest(
        'SecurityGroupRuleParameterConflict',
        `Conflicting value ethertype ${ethertype} for CIDR ${input.remoteIpPrefix}`,
      );
    }
    remotePrefix = formatPrefix(p);
  }
  if (remotePrefix && input.remoteGroupId) {
    throw badRequest(
      'SecurityGroupRemoteGroupAndRemoteIpPrefix',
      'Only remote_ip_prefix or remote_group_id may be provided.',
    );
  }
  return withRetries(ctx, 'create security group rule', async () => {
    const sg = await readOwned(ctx, actor, 'security_group', 'security_group', input.securityGroupId);
    if (input.remoteGroupId && input.remoteGroupId !== sg.id) {
      const remote = await ctx.store.get('security_group', input.remoteGroupId);
      if (!remote || !(actor.admin || remote.topic === actor.projectId))
        throw notFound('security_group', input.remoteGroupId);
    }
    const rule = newRule(ctx, {
      direction: input.direction,
      ethertype,
      ...(proto.text === undefined ? {} : { protocol: proto.text }),
      ...(min === undefined ? {} : { portRangeMin: min }),
      ...(max === undefined ? {} : { portRangeMax: max }),
      ...(remotePrefix === undefined ? {} : { remoteIpPrefix: remotePrefix }),
      ...(input.remoteGroupId ? { remoteGroupId: input.remoteGroupId } : {}),
      ...(input.description === undefined ? {} : { description: input.description }),
    });
    const same = sg.rules.find(
      (r) =>
        r.direction === rule.direction &&
        r.ethertype === rule.ethertype &&
        (r.protocol ?? '') === (rule.protocol ?? '') &&
        r.portRangeMin === rule.portRangeMin &&
        r.portRangeMax === rule.portRangeMax &&
        (r.remoteIpPrefix ?? '') === (rule.remoteIpPrefix ?? '') &&
        (r.remoteGroupId ?? '') === (rule.remoteGroupId ?? ''),
    );
    if (same)
      throw conflict('SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${same.id}.`);
    const all = await ctx.store.list('security_group', { topic: sg.topic });
    const ruleCount = all.items.reduce((n, g) => n + g.rules.length, 0);
    const limit =
      (await ctx.store.get('quota', sg.topic))?.limits['security_group_rule'] ??
      ctx.config.defaultQuotas['security_group_rule'] ??
      -1;
    if (limit >= 0 && ruleCount + 1 > limit)
      throw badRequest('OverQuota', `Quota exceeded for resources: ['security_group_rule'].`);
    const next = touch(ctx, { ...sg, rules: [...sg.rules, rule] });
    await ctx.store.commit([{ kind: 'update', table: 'security_group', object: next }]);
    ctx.stats.commits++;
    return rule;
  });
}

export async function findRule(
  ctx: CoreContext,
  actor: Actor,
  ruleId: string,
): Promise<{ group: SecurityGroup; rule: SecurityGroupRuleT }> {
  const groups = await ctx.store.list('security_group', { index: { name: 'rule', value: ruleId } });
  const group = groups.items[0];
  const rule = group?.rules.find((r) => r.id === ruleId);
  if (!group || !rule || !(actor.admin || group.topic === actor.projectId))
    throw notFound('security_group_rule', ruleId);
  return { group, rule };
}

export async function deleteSecurityGroupRule(ctx: CoreContext, actor: Actor, ruleId: string): Promise<void> {
  await withRetries(ctx, 'delete security group rule', async () => {
    const { group } = await findRule(ctx, actor, ruleId);
    const next = touch(ctx, { ...group, rules: group.rules.filter((r) => r.id !== ruleId) });
    await ctx.store.commit([{ kind: 'update', table: 'security_group', object: next }]);
    ctx.stats.commits++;
  });
}
