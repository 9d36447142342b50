// Security groups and their rules (embedded in the group: one CAS covers both), with Neutron's
// defaults: every project has a "default" group (created on first need, exactly once even under
// concurrency, through a claim), new groups allow all egress, rule validation and duplicates.
import type { SecurityGroup, SecurityGroupRuleT } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import type { Actor, CoreContext } from '../context.js';
import { conflict, forbidden, inUse, notFound, quotaExceeded } from '../errors.js';
import {
  baseFields,
  checkRevision,
  isoSeconds,
  readOwned,
  touch,
  type BaseInput,
  type IfMatchOption,
} from '../objects.js';
import { checkQuota, quotaLimit } from '../quota.js';
import { withRetries } from '../retry.js';
import { canonicalRule, ruleKey, type RuleFields } from '../sg-rules.js';

const defaultNamespace = (projectId: string): string => `default-sg:${projectId}`;

export interface SecurityGroupInput extends BaseInput {
  readonly stateful?: boolean;
  readonly projectId?: string;
}

export interface RuleInput extends RuleFields {
  readonly securityGroupId: string;
  readonly description?: string;
}

/** The rules of a project's groups (what its security_group_rule quota counts). */
export async function securityGroupRuleCount(ctx: CoreContext, projectId: string): Promise<number> {
  const all = await ctx.store.list('security_group', { topic: projectId });
  return all.items.reduce((n, g) => n + g.rules.length, 0);
}

async function checkRuleQuota(ctx: CoreContext, projectId: string, adding: number): Promise<void> {
  const limit = await quotaLimit(ctx, projectId, 'security_group_rule');
  if (limit >= 0 && (await securityGroupRuleCount(ctx, projectId)) + adding > limit)
    throw quotaExceeded('security_group_rule', limit);
}

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
  if (input.name?.toLowerCase() === 'default') throw defaultExists();
  // Every project has its default group before it creates its first one of its own.
  await ensureDefaultSecurityGroup(ctx, topic);
  await checkQuota(ctx, topic, 'security_group', 'security_group');
  // Its two egress rules count against the rule quota too, as in Neutron.
  await checkRuleQuota(ctx, topic, 2);
  const base = await baseFields(ctx, 'security_group', topic, input);
  const sg: SecurityGroup = { ...base, stateful: input.stateful ?? true, rules: egressAll(ctx) };
  const result = await ctx.store.commit([{ kind: 'create', table: 'security_group', object: sg }]);
  ctx.stats.commits++;
  return result.written[0] as SecurityGroup;
}

function defaultExists(): Error {
  return conflict('SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');
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
  patch: { name?: string; description?: string; stateful?: boolean; tags?: readonly string[] },
  options: IfMatchOption = {},
): Promise<SecurityGroup> {
  // Neutron's name validator refuses "default" for any group, before anything else.
  if (patch.name?.toLowerCase() === 'default') throw defaultExists();
  return withRetries(ctx, 'update security group', async () => {
    const current = await readOwned(ctx, actor, 'security_group', 'security_group', id);
    checkRevision(current, options);
    if (current.name === 'default' && patch.name !== undefined) {
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
      ...(patch.tags === undefined ? {} : { tags: [...patch.tags] }),
    });
    const result = await ctx.store.commit([{ kind: 'update', table: 'security_group', object: next }]);
    ctx.stats.commits++;
    return result.written[0] as SecurityGroup;
  });
}

export async function deleteSecurityGroup(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  options: IfMatchOption = {},
): Promise<void> {
  await withRetries(ctx, 'delete security group', async () => {
    const sg = await readOwned(ctx, actor, 'security_group', 'security_group', id);
    checkRevision(sg, options);
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

export async function createSecurityGroupRule(
  ctx: CoreContext,
  actor: Actor,
  input: RuleInput,
): Promise<SecurityGroupRuleT> {
  const canonical = canonicalRule(input);
  return withRetries(ctx, 'create security group rule', async () => {
    // Neutron looks the remote group up before the rule's own group.
    const remoteId = canonical.remoteGroupId;
    if (remoteId !== undefined && remoteId !== input.securityGroupId) {
      const remote = await ctx.store.get('security_group', remoteId);
      if (!remote || !(actor.admin || remote.topic === actor.projectId))
        throw notFound('security_group', remoteId);
    }
    const sg = await readOwned(ctx, actor, 'security_group', 'security_group', input.securityGroupId);
    const key = ruleKey(canonical);
    const same = sg.rules.find((r) => ruleKey(r) === key);
    if (same)
      throw conflict('SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${same.id}.`);
    await checkRuleQuota(ctx, sg.topic, 1);
    const rule = newRule(ctx, {
      ...canonical,
      ...(input.description === undefined ? {} : { description: input.description }),
    });
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
