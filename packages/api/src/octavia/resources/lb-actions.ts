// Routes of the load-balancer API that are not a resource's CRUD: the status tree
// (`/loadbalancers/{id}/status`, alias `/statuses` as in Octavia), statistics, failover and the
// provider list.
//
// Statistics are all zeros: Weir's data plane does not count load-balanced traffic yet, and a
// zero is what Octavia itself reports for a load balancer that has carried none. Failover has no
// meaning without amphorae and is refused as Octavia refuses an action a provider lacks.
import { statusTree, type MemberStatus, type PoolStatus } from '@weir/core';
import type { FastifyInstance } from 'fastify';
import { notImplemented, PROVIDER } from '../errors.js';
import type { ApiObject, ResourceDeps } from '../resource.js';
import { checkId, denyReadOnly, octavia, PREFIXES } from '../routes.js';
import { readOwned } from './read.js';

interface Statuses {
  readonly id: string;
  readonly name: string;
  readonly provisioningStatus: string;
  readonly operatingStatus: string;
}

function statuses(o: Statuses): ApiObject {
  return {
    id: o.id,
    name: o.name,
    provisioning_status: o.provisioningStatus,
    operating_status: o.operatingStatus,
  };
}

function poolStatus(p: PoolStatus): ApiObject {
  return {
    ...statuses(p),
    ...(p.healthmonitor
      ? { health_monitor: { ...statuses(p.healthmonitor), type: p.healthmonitor.type } }
      : {}),
    members: p.members.map((m: MemberStatus) => ({
      ...statuses(m),
      address: m.address,
      protocol_port: m.protocolPort,
    })),
  };
}

const ZERO_STATS = {
  stats: { bytes_in: 0, bytes_out: 0, active_connections: 0, total_connections: 0, request_errors: 0 },
};

export function registerLbActions(app: FastifyInstance, deps: ResourceDeps): void {
  for (const prefix of PREFIXES) {
    const lb = `${prefix}/loadbalancers/:id`;
    for (const alias of ['status', 'statuses']) {
      app.get(
        `${lb}/${alias}`,
        octavia(async (req) => {
          const tree = await statusTree(deps.core, req.principal, checkId('Load Balancer', req.params.id));
          const l = tree.loadbalancer;
          return {
            statuses: {
              loadbalancer: {
                ...statuses(l),
                listeners: l.listeners.map((listener) => ({
                  ...statuses(listener),
                  pools: listener.pools.map(poolStatus),
                })),
              },
            },
          };
        }),
      );
    }
    app.get(
      `${lb}/stats`,
      octavia(async (req) => {
        const id = checkId('Load Balancer', req.params.id);
        await readOwned(deps, req.principal, 'load_balancer', 'Load Balancer', id);
        return ZERO_STATS;
      }),
    );
    app.get(
      `${prefix}/listeners/:id/stats`,
      octavia(async (req) => {
        await readOwned(deps, req.principal, 'listener', 'Listener', checkId('Listener', req.params.id));
        return ZERO_STATS;
      }),
    );
    app.put(
      `${lb}/failover`,
      octavia(async (req) => {
        denyReadOnly(req.principal);
        const id = checkId('Load Balancer', req.params.id);
        await readOwned(deps, req.principal, 'load_balancer', 'Load Balancer', id);
        throw notImplemented('failover (Weir load balancers have no amphorae to replace)');
      }),
    );
    app.get(
      `${prefix}/providers`,
      octavia(() =>
        Promise.resolve({
          providers: [{ name: PROVIDER, description: "Weir's distributed load balancing in Open vSwitch" }],
        }),
      ),
    );
  }
}
