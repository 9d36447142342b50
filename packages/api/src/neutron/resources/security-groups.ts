// Neutron security groups (neutron/extensions/securitygroup.py) with stateful-security-group
// and the standard attributes. Rules live inside their group in Weir's model; a group's
// security_group_rules and the security-group-rules resource render them with one function, so
// the two views cannot disagree. Listing makes sure the caller's project has its default group,
// as Neutron does.
import {
  createSecurityGroup,
  deleteSecurityGroup,
  ensureDefaultSecurityGroup,
  readVisible,
  updateSecurityGroup,
  type SecurityGroupInput,
} from '@weir/core';
import type { SecurityGroup } from '@weir/model';
import type { NeutronResource } from '../resource.js';
import { boolean } from '../validators.js';
import { pick, READ_ONLY, STANDARD_ATTRIBUTES, standardView } from '../views.js';
import { ifMatchOption } from './if-match.js';
import { ruleView } from './security-group-rules.js';
import { listVisible, NAME_FILTER } from './visibility.js';

const INPUT: Readonly<Record<string, keyof SecurityGroupInput>> = {
  name: 'name',
  description: 'description',
  tags: 'tags',
  stateful: 'stateful',
  project_id: 'projectId',
};

export const securityGroups: NeutronResource<SecurityGroup> = {
  singular: 'security_group',
  plural: 'security_groups',
  path: 'security-groups',
  table: 'security_group',
  indexedFilters: NAME_FILTER,
  tags: true,
  revisions: true,
  attributes: {
    ...STANDARD_ATTRIBUTES,
    stateful: { post: true, put: true, check: boolean },
    security_group_rules: { ...READ_ONLY, filter: false, sort: false },
  },

  view(sg) {
    return Object.assign(standardView(sg), {
      stateful: sg.stateful,
      security_group_rules: sg.rules.map((r) => ruleView(sg, r)),
    });
  },
  idOf: (sg) => sg.id,

  async list(deps, principal, hint) {
    await ensureDefaultSecurityGroup(deps.core, principal.projectId);
    return listVisible(deps, principal, 'security_group', hint);
  },
  show: (deps, principal, id) => readVisible(deps.core, principal, 'security_group', 'security_group', id),
  create(deps, principal, body) {
    return createSecurityGroup(deps.core, principal, pick<SecurityGroupInput>(body, INPUT));
  },
  update(deps, principal, id, body, ifMatch) {
    const { projectId: _fixed, ...patch } = pick<SecurityGroupInput>(body, INPUT);
    return updateSecurityGroup(deps.core, principal, id, patch, ifMatchOption(ifMatch));
  },
  async remove(deps, principal, id, ifMatch) {
    await deleteSecurityGroup(deps.core, principal, id, ifMatchOption(ifMatch));
  },
};
