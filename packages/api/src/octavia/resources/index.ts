// Every Octavia resource Weir serves, and the routes that are not a resource's CRUD.
import type { FastifyInstance } from 'fastify';
import type { ResourceDeps } from '../resource.js';
import { registerResource } from '../routes.js';
import { healthMonitors } from './health-monitors.js';
import { registerLbActions } from './lb-actions.js';
import { listeners } from './listeners.js';
import { loadBalancers } from './load-balancers.js';
import { registerMemberBatch } from './member-batch.js';
import { members } from './members.js';
import { pools } from './pools.js';

export function registerOctaviaRoutes(app: FastifyInstance, deps: ResourceDeps): void {
  registerResource(app, loadBalancers, deps);
  registerResource(app, listeners, deps);
  registerResource(app, pools, deps);
  registerResource(app, members, deps);
  registerResource(app, healthMonitors, deps);
  registerLbActions(app, deps);
  registerMemberBatch(app, deps);
}
