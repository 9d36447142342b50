// Every Neutron resource Weir serves, in the order `GET /v2.0/` lists them.
import type { NeutronResource } from '../resource.js';
import { agents } from './agents.js';
import { floatingIps } from './floating-ips.js';
import { networks } from './networks.js';
import { ports } from './ports.js';
import { routers } from './routers.js';
import { securityGroupRules } from './security-group-rules.js';
import { securityGroups } from './security-groups.js';
import { subnetPools } from './subnet-pools.js';
import { subnets } from './subnets.js';
import { trunks } from './trunks.js';

export const NEUTRON_RESOURCES: readonly NeutronResource[] = [
  networks,
  subnets,
  subnetPools,
  ports,
  trunks,
  routers,
  floatingIps,
  securityGroups,
  securityGroupRules,
  agents,
];
