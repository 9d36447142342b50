// Every Neutron resource Weir serves, in the order `GET /v2.0/` lists them.
import type { NeutronResource } from '../resource.js';
import { networks } from './networks.js';
import { ports } from './ports.js';
import { subnets } from './subnets.js';
import { trunks } from './trunks.js';

export const NEUTRON_RESOURCES: readonly NeutronResource[] = [networks, subnets, ports, trunks];
