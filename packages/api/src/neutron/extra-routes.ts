// Neutron routes that are not a plain resource: member actions (router interfaces, trunk
// subports, subnet pool prefixes) and the quotas API.
import type { FastifyInstance } from 'fastify';
import type { ResourceDeps } from './resource.js';
import { registerQuotas } from './resources/quotas.js';
import { registerRouterActions } from './resources/router-actions.js';
import { registerSubnetPoolActions } from './resources/subnet-pool-actions.js';
import { registerTrunkActions } from './resources/trunk-actions.js';

export const NEUTRON_EXTRA_ROUTES: ReadonlyArray<(app: FastifyInstance, deps: ResourceDeps) => void> = [
  registerTrunkActions,
  registerRouterActions,
  registerSubnetPoolActions,
  registerQuotas,
];
