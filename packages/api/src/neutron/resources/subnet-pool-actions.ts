// The subnetpool-prefix-ops member actions (neutron-lib subnetpool_prefix_ops.py): PUT
// add_prefixes and remove_prefixes with {"prefixes": [...]}, answering {"prefixes": [...]} — the
// pool's prefixes afterwards, compacted. A body without a non-empty list of prefixes is Neutron's
// "Request body contains invalid data".
import { addSubnetPoolPrefixes, notFound, readVisible, removeSubnetPoolPrefixes } from '@weir/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/principal.js';
import { badRequest, HttpError } from '../../http/http-error.js';
import type { ResourceDeps } from '../resource.js';
import { Invalid } from '../validators.js';
import { subnetList } from './subnet-pools.js';

interface IdParams {
  id: string;
}

const ID = /^[A-Za-z0-9_.:-]{1,64}$/;

function denyReadOnly(principal: Principal, action: string): void {
  if (principal.readOnly)
    throw new HttpError(403, 'PolicyNotAuthorized', `(rule:${action}) is disallowed by policy`);
}

/** Neutron's get_operation_request_body, then each prefix checked as a CIDR. */
function prefixesOfBody(body: unknown): string[] {
  const prefixes =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>).prefixes
      : undefined;
  if (!Array.isArray(prefixes) || prefixes.length === 0)
    throw badRequest('Request body contains invalid data');
  try {
    return subnetList(prefixes) as string[];
  } catch (error) {
    if (error instanceof Invalid) throw badRequest(`Invalid input for prefixes. Reason: ${error.message}.`);
    throw error;
  }
}

export function registerSubnetPoolActions(app: FastifyInstance, deps: ResourceDeps): void {
  const actions = [
    ['add_prefixes', addSubnetPoolPrefixes],
    ['remove_prefixes', removeSubnetPoolPrefixes],
  ] as const;
  for (const [action, run] of actions) {
    app.put(`/v2.0/subnetpools/:id/${action}`, async (req: FastifyRequest<{ Params: IdParams }>) => {
      if (!ID.test(req.params.id)) throw notFound('subnetpool', req.params.id);
      denyReadOnly(req.principal, action);
      // As in Neutron, an unknown pool is 404 whatever the body.
      await readVisible(deps.core, req.principal, 'subnet_pool', 'subnetpool', req.params.id);
      const prefixes = prefixesOfBody(req.body);
      return { prefixes: [...(await run(deps.core, req.principal, req.params.id, prefixes))] };
    });
  }
}
