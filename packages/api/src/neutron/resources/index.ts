// Every Neutron resource Weir serves, in the order `GET /v2.0/` lists them.
import type { NeutronResource } from '../resource.js';
import { networks } from './networks.js';

export const NEUTRON_RESOURCES: readonly NeutronResource[] = [networks];
