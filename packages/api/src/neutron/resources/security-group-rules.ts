// Neutron security group rules (neutron/extensions/securitygroup.py SECURITYGROUPRULES), kept
// inside their group in Weir's model. The converters Neutron runs on the request (protocol,
// ports, ethertype) raise Neutron's own exceptions, so they do here too; the rule's meaning
// (ranges, prefixes, duplicates) is core's.
import {
  badRequest,
  convertProtocol,
  createSecurityGroupRule,
  deleteSecurityGroupRule,
  ensureDefaultSecurityGroup,
  findRule,
  type RuleInput,
} from '@weir/core';
import type { SecurityGroup, SecurityGroupRuleT } from '@weir/model';
import type { ApiObject, NeutronResource } from '../resource.js';
import { oneOf, py, string, type Check } from '../validators.js';
import { pick, READ_ONLY, STANDARD_ATTRIBUTES } from '../views.js';
import { listVisible } from './visibility.js';

export interface RuleRow {
  readonly group: SecurityGroup;
  readonly rule: SecurityGroupRuleT;
}

/** One rendering for both the rules resource and a group's security_group_rules. */
export function ruleView(group: SecurityGroup, r: SecurityGroupRuleT): ApiObject {
  return {
    id: r.id,
    tenant_id: group.topic,
    project_id: group.topic,
    security_group_id: group.id,
    direction: r.direction,
    ethertype: r.ethertype,
    protocol: r.protocol ?? null,
    port_range_min: r.portRangeMin ?? null,
    port_range_max: r.portRangeMax ?? null,
    remote_ip_prefix: r.remoteIpPrefix ?? null,
    remote_group_id: r.remoteGroupId ?? null,
    description: r.description,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    revision_number: r.revision,
  };
}

/** convert_validate_port_value: an integer 0-65535 (digits in a string too), else Neutron's error. */
const portValue: Check = (v) => {
  if (v === null) return null;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw badRequest('SecurityGroupInvalidPortValue', `Invalid value for port ${py(v)}`);
  return n;
};

/** convert_ethertype_to_case_insensitive. */
const ethertype: Check = (v) => {
  if (typeof v === 'string') {
    for (const e of ['IPv4', 'IPv6']) if (e.toLowerCase() === v.toLowerCase()) return e;
  }
  throw badRequest(
    'SecurityGroupRuleInvalidEtherType',
    `Security group rule for ethertype '${py(v)}' not supported. Allowed values are ['IPv4', 'IPv6'].`,
  );
};

/** convert_ip_prefix_to_cidr: empty means none; core parses and normalises the rest. */
const remotePrefix: Check = (v) => {
  if (v === null || v === '') return null;
  if (typeof v !== 'string') throw badRequest('InvalidCIDR', `Invalid CIDR ${py(v)} given as IP prefix.`);
  return v;
};

/** remote_group_id has no validator in Neutron: anything that names no group is "not found". */
const anyText: Check = (v) => (v === null ? null : py(v));

const INPUT: Readonly<Record<string, keyof RuleInput>> = {
  security_group_id: 'securityGroupId',
  direction: 'direction',
  ethertype: 'ethertype',
  protocol: 'protocol',
  port_range_min: 'portRangeMin',
  port_range_max: 'portRangeMax',
  remote_ip_prefix: 'remoteIpPrefix',
  remote_group_id: 'remoteGroupId',
  description: 'description',
};

export const securityGroupRules: NeutronResource<RuleRow> = {
  singular: 'security_group_rule',
  plural: 'security_group_rules',
  path: 'security-group-rules',
  table: 'security_group',
  tags: false,
  revisions: false,
  attributes: {
    id: READ_ONLY,
    tenant_id: STANDARD_ATTRIBUTES.tenant_id as NonNullable<(typeof STANDARD_ATTRIBUTES)['tenant_id']>,
    project_id: STANDARD_ATTRIBUTES.project_id as NonNullable<(typeof STANDARD_ATTRIBUTES)['project_id']>,
    description: { post: true, put: false, check: string(255) },
    security_group_id: { post: true, put: false, required: true, check: string(36) },
    direction: { post: true, put: false, required: true, check: oneOf(['ingress', 'egress']) },
    ethertype: { post: true, put: false, check: ethertype },
    protocol: { post: true, put: false, check: (v) => convertProtocol(v) ?? null },
    port_range_min: { post: true, put: false, check: portValue },
    port_range_max: { post: true, put: false, check: portValue },
    remote_ip_prefix: { post: true, put: false, check: remotePrefix },
    remote_group_id: { post: true, put: false, check: anyText },
    created_at: READ_ONLY,
    updated_at: READ_ONLY,
    revision_number: READ_ONLY,
  },

  view: ({ group, rule }) => ruleView(group, rule),
  idOf: (row) => row.rule.id,

  async list(deps, principal) {
    await ensureDefaultSecurityGroup(deps.core, principal.projectId);
    const groups = await listVisible(deps, principal, 'security_group', {});
    return groups.flatMap((group) => group.rules.map((rule) => ({ group, rule })));
  },
  show: (deps, principal, id) => findRule(deps.core, principal, id),
  async create(deps, principal, body) {
    const input = pick<RuleInput>(body, INPUT) as RuleInput;
    const rule = await createSecurityGroupRule(deps.core, principal, input);
    return findRule(deps.core, principal, rule.id);
  },
  async remove(deps, principal, id) {
    await deleteSecurityGroupRule(deps.core, principal, id);
  },
};
