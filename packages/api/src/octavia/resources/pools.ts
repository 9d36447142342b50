// Pools (core: services/lb/pools.ts): created on a load balancer, or for a listener whose default
// pool they become. A pool's `listeners` are the listeners using it as their default pool. Backend
// TLS (certificates, ciphers, versions, ALPN), session-persistence granularity and the single-call
// graph create (healthmonitor, members in the body) are not implemented: accepted with their
// defaults only, refused otherwise.
import {
  createPool,
  deletePool,
  updatePool,
  type PoolInput,
  type PoolPatch,
  type SessionPersistenceInput,
} from '@weir/core';
import type { Pool } from '@weir/model';
import type { Attrs } from '../body.js';
import { invalidInput, isEmpty } from '../body.js';
import { unsupportedOption } from '../errors.js';
import { attributes } from '../query.js';
import type { ApiObject, OctaviaResource, ResourceDeps } from '../resource.js';
import {
  boolean,
  integer,
  ipAddress,
  listOf,
  object,
  oneOf,
  string,
  tags,
  uuid,
  type OType,
} from '../types.js';
import { BASE_FILTERS, baseView, idOnly, pick } from '../views.js';
import { childIds, listOwned, readOwned } from './read.js';

export interface PoolWithChildren {
  readonly pool: Pool;
  readonly listenerIds: readonly string[];
  readonly memberIds: readonly string[];
}

/** octavia_lib's POOL_SUPPORTED_PROTOCOLS and SUPPORTED_LB_ALGORITHMS. */
const PROTOCOLS = ['HTTP', 'HTTPS', 'PROXY', 'PROXYV2', 'TCP', 'UDP', 'SCTP'];
const ALGORITHMS = ['LEAST_CONNECTIONS', 'ROUND_ROBIN', 'SOURCE_IP', 'SOURCE_IP_PORT'];
const any: OType = (v) => v;

const sessionPersistence = (typeMandatory: boolean): OType =>
  object({
    type: { type: oneOf(['SOURCE_IP', 'HTTP_COOKIE', 'APP_COOKIE']), mandatory: typeMandatory },
    cookie_name: { type: string({ max: 255, pattern: /^[^\s,;\\]+$/ }) },
    persistence_timeout: { type: integer() },
    persistence_granularity: { type: ipAddress },
  });

const INPUT: Readonly<Record<string, keyof PoolInput>> = {
  name: 'name',
  description: 'description',
  tags: 'tags',
  admin_state_up: 'adminStateUp',
  listener_id: 'listenerId',
  loadbalancer_id: 'loadBalancerId',
  protocol: 'protocol',
  lb_algorithm: 'lbAlgorithm',
};

const UNSUPPORTED: Attrs = {
  tls_container_ref: { type: string({ max: 255 }), onNull: null, accepts: isEmpty },
  ca_tls_container_ref: { type: string({ max: 255 }), onNull: null, accepts: isEmpty },
  crl_container_ref: { type: string({ max: 255 }), onNull: null, accepts: isEmpty },
  tls_enabled: { type: boolean, onNull: false, accepts: isEmpty },
  tls_ciphers: { type: string({ max: 2048 }), onNull: null, accepts: isEmpty },
  tls_versions: { type: listOf(string({ max: 32 })), onNull: null, accepts: isEmpty },
  alpn_protocols: { type: listOf(string()), onNull: null, accepts: isEmpty },
};

const POST: Attrs = {
  name: { type: string({ max: 255 }) },
  description: { type: string({ max: 255 }) },
  admin_state_up: { type: boolean },
  listener_id: { type: uuid },
  loadbalancer_id: { type: uuid },
  protocol: { type: oneOf(PROTOCOLS), mandatory: true },
  lb_algorithm: { type: oneOf(ALGORITHMS), mandatory: true },
  session_persistence: { type: sessionPersistence(true) },
  project_id: { type: string({ max: 36 }) },
  tenant_id: { type: string({ max: 36 }) },
  healthmonitor: { type: any, accepts: isEmpty },
  members: { type: listOf(any), accepts: isEmpty },
  tags: { type: tags },
  ...UNSUPPORTED,
};

const PUT: Attrs = {
  name: { type: string({ max: 255 }), onNull: '' },
  description: { type: string({ max: 255 }), onNull: '' },
  admin_state_up: { type: boolean, onNull: false },
  lb_algorithm: { type: oneOf(ALGORITHMS) },
  session_persistence: { type: sessionPersistence(false), onNull: null },
  tags: { type: tags, onNull: [] },
  ...UNSUPPORTED,
};

/** The body's session_persistence as core takes it; `current` fills a type an update leaves out. */
function persistence(
  given: unknown,
  current: Pool['sessionPersistence'],
): SessionPersistenceInput | null | undefined {
  if (given === undefined || given === null) return given;
  const sp = given as Record<string, unknown>;
  if (sp.persistence_granularity !== undefined)
    throw unsupportedOption('session_persistence.persistence_granularity');
  const type = (sp.type as string | undefined) ?? current?.type;
  if (type === undefined) throw invalidInput('type', null, 'Mandatory field missing.');
  return {
    type,
    ...(sp.cookie_name === undefined ? {} : { cookieName: sp.cookie_name as string }),
    ...(sp.persistence_timeout === undefined ? {} : { persistenceTimeout: sp.persistence_timeout as number }),
  };
}

async function withChildren(deps: ResourceDeps, pools: readonly Pool[]): Promise<PoolWithChildren[]> {
  const ids = pools.map((p) => p.id);
  const [listeners, members] = await Promise.all([
    childIds(deps, 'listener', 'defaultPool', (l) => l.defaultPoolId, ids),
    childIds(deps, 'member', 'pool', (m) => m.poolId, ids),
  ]);
  return pools.map((pool) => ({
    pool,
    listenerIds: listeners.get(pool.id) ?? [],
    memberIds: members.get(pool.id) ?? [],
  }));
}

async function one(deps: ResourceDeps, pool: Pool): Promise<PoolWithChildren> {
  return (await withChildren(deps, [pool]))[0] as PoolWithChildren;
}

export const pools: OctaviaResource<PoolWithChildren> = {
  singular: 'pool',
  plural: 'pools',
  title: 'Pool',
  arg: 'pool_',
  post: POST,
  put: PUT,
  filters: {
    ...attributes(...BASE_FILTERS, 'protocol', 'lb_algorithm', 'healthmonitor_id', 'tls_enabled'),
    loadbalancer_id: (o: ApiObject) => (o.loadbalancers as { id: string }[])[0]?.id,
  },

  view({ pool: p, listenerIds, memberIds }): ApiObject {
    const sp = p.sessionPersistence;
    return Object.assign(baseView(p), {
      protocol: p.protocol,
      lb_algorithm: p.lbAlgorithm,
      session_persistence: sp
        ? {
            type: sp.type,
            cookie_name: sp.cookieName ?? null,
            persistence_timeout: sp.persistenceTimeout ?? null,
            persistence_granularity: null,
          }
        : null,
      loadbalancers: idOnly([p.loadBalancerId]),
      listeners: idOnly(listenerIds),
      members: idOnly(memberIds),
      healthmonitor_id: p.healthMonitorId ?? null,
      tls_container_ref: null,
      ca_tls_container_ref: null,
      crl_container_ref: null,
      tls_enabled: false,
      tls_ciphers: null,
      tls_versions: null,
      alpn_protocols: null,
    });
  },

  async list(deps, scope) {
    return withChildren(deps, await listOwned(deps, scope.principal, 'pool'));
  },
  async show(deps, scope, id) {
    return one(deps, await readOwned(deps, scope.principal, 'pool', 'Pool', id));
  },
  async create(deps, scope, body) {
    const sp = persistence(body.session_persistence, null);
    const input = {
      ...pick<PoolInput>(body, INPUT),
      ...(sp === undefined ? {} : { sessionPersistence: sp }),
    } as PoolInput;
    return one(deps, await createPool(deps.core, scope.principal, input));
  },
  async update(deps, scope, id, body) {
    const current = await readOwned(deps, scope.principal, 'pool', 'Pool', id);
    const sp = persistence(body.session_persistence, current.sessionPersistence);
    const patch: PoolPatch = {
      ...(pick<PoolInput>(body, INPUT) as PoolPatch),
      ...(sp === undefined ? {} : { sessionPersistence: sp }),
    };
    return one(deps, await updatePool(deps.core, scope.principal, id, patch));
  },
  remove: (deps, scope, id) => deletePool(deps.core, scope.principal, id),
};
