// Listeners (core: services/lb/listeners.ts): a protocol and port on a load balancer's VIP. Weir
// balances at L4, so an HTTP listener forwards TCP connections as a TCP one does (no header
// insertion, no L7 policies). TLS options (certificates, client authentication, ciphers, HSTS,
// ALPN), header insertion, allowed CIDRs and L7 policies are not implemented: accepted with their
// default values only, refused otherwise.
import { createListener, deleteListener, updateListener, type ListenerInput } from '@weir/core';
import type { Listener } from '@weir/model';
import type { Attrs } from '../body.js';
import { isEmpty } from '../body.js';
import { attributes } from '../query.js';
import type { ApiObject, OctaviaResource } from '../resource.js';
import { boolean, integer, listOf, oneOf, string, tags, uuid, type OType } from '../types.js';
import { BASE_FILTERS, baseView, idOnly, pick } from '../views.js';
import { listOwned, readOwned } from './read.js';

/** octavia_lib's LISTENER_SUPPORTED_PROTOCOLS. */
const PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'TERMINATED_HTTPS', 'UDP', 'SCTP', 'PROMETHEUS'];
/** Octavia's MAX_TIMEOUT (ms). */
const MAX_TIMEOUT = 24 * 24 * 60 * 60 * 1000;
const any: OType = (v) => v;
const timeout = integer(0, MAX_TIMEOUT);

const INPUT: Readonly<Record<string, keyof ListenerInput>> = {
  name: 'name',
  description: 'description',
  tags: 'tags',
  admin_state_up: 'adminStateUp',
  protocol: 'protocol',
  protocol_port: 'protocolPort',
  loadbalancer_id: 'loadBalancerId',
  default_pool_id: 'defaultPoolId',
  connection_limit: 'connectionLimit',
  timeout_client_data: 'timeoutClientData',
  timeout_member_connect: 'timeoutMemberConnect',
  timeout_member_data: 'timeoutMemberData',
};

/** Options of both POST and PUT that Weir accepts only with their defaults. */
const UNSUPPORTED: Attrs = {
  default_tls_container_ref: { type: string({ max: 255 }), onNull: null, accepts: isEmpty },
  sni_container_refs: { type: listOf(string({ max: 255 })), onNull: [], accepts: isEmpty },
  insert_headers: { type: any, onNull: {}, accepts: isEmpty },
  timeout_tcp_inspect: { type: timeout, onNull: 0, accepts: isEmpty },
  client_ca_tls_container_ref: { type: string({ max: 255 }), onNull: null, accepts: isEmpty },
  client_authentication: {
    type: oneOf(['NONE', 'OPTIONAL', 'MANDATORY']),
    onNull: 'NONE',
    accepts: (v) => v === 'NONE',
  },
  client_crl_container_ref: { type: string({ max: 255 }), onNull: null, accepts: isEmpty },
  allowed_cidrs: { type: listOf(string()), onNull: null, accepts: isEmpty },
  tls_ciphers: { type: string({ max: 2048 }), onNull: null, accepts: isEmpty },
  tls_versions: { type: listOf(string({ max: 32 })), onNull: null, accepts: isEmpty },
  alpn_protocols: { type: listOf(string()), onNull: null, accepts: isEmpty },
  hsts_max_age: { type: integer(0), onNull: null, accepts: isEmpty },
  hsts_include_subdomains: { type: boolean, onNull: false, accepts: isEmpty },
  hsts_preload: { type: boolean, onNull: false, accepts: isEmpty },
};

const POST: Attrs = {
  name: { type: string({ max: 255 }) },
  description: { type: string({ max: 255 }) },
  admin_state_up: { type: boolean },
  protocol: { type: oneOf(PROTOCOLS), mandatory: true },
  protocol_port: { type: integer(1, 65535), mandatory: true },
  connection_limit: { type: integer(-1) },
  project_id: { type: string({ max: 36 }) },
  tenant_id: { type: string({ max: 36 }) },
  default_pool_id: { type: uuid },
  // Octavia's single-call graph create: not implemented, create the pool and name it.
  default_pool: { type: any, accepts: isEmpty },
  l7policies: { type: listOf(any), accepts: isEmpty },
  loadbalancer_id: { type: uuid, mandatory: true },
  timeout_client_data: { type: timeout },
  timeout_member_connect: { type: timeout },
  timeout_member_data: { type: timeout },
  tags: { type: tags },
  ...UNSUPPORTED,
};

const PUT: Attrs = {
  name: { type: string({ max: 255 }), onNull: '' },
  description: { type: string({ max: 255 }), onNull: '' },
  admin_state_up: { type: boolean, onNull: false },
  // Octavia resets these to their defaults when given null.
  connection_limit: { type: integer(-1), onNull: -1 },
  default_pool_id: { type: uuid, onNull: null },
  timeout_client_data: { type: timeout, onNull: 50000 },
  timeout_member_connect: { type: timeout, onNull: 5000 },
  timeout_member_data: { type: timeout, onNull: 50000 },
  tags: { type: tags, onNull: [] },
  ...UNSUPPORTED,
};

export const listeners: OctaviaResource<Listener> = {
  singular: 'listener',
  plural: 'listeners',
  title: 'Listener',
  arg: 'listener_',
  post: POST,
  put: PUT,
  filters: {
    ...attributes(
      ...BASE_FILTERS,
      'protocol',
      'protocol_port',
      'connection_limit',
      'default_pool_id',
      'timeout_client_data',
      'timeout_member_connect',
      'timeout_member_data',
    ),
    loadbalancer_id: (o: ApiObject) => (o.loadbalancers as { id: string }[])[0]?.id,
  },

  view(l): ApiObject {
    return Object.assign(baseView(l), {
      protocol: l.protocol,
      protocol_port: l.protocolPort,
      connection_limit: l.connectionLimit,
      default_pool_id: l.defaultPoolId ?? null,
      loadbalancers: idOnly([l.loadBalancerId]),
      l7policies: [],
      insert_headers: {},
      timeout_client_data: l.timeoutClientData,
      timeout_member_connect: l.timeoutMemberConnect,
      timeout_member_data: l.timeoutMemberData,
      timeout_tcp_inspect: 0,
      default_tls_container_ref: null,
      sni_container_refs: [],
      client_ca_tls_container_ref: null,
      client_authentication: 'NONE',
      client_crl_container_ref: null,
      allowed_cidrs: null,
      tls_ciphers: null,
      tls_versions: null,
      alpn_protocols: null,
      hsts_max_age: null,
      hsts_include_subdomains: false,
      hsts_preload: false,
    });
  },

  list: (deps, scope) => listOwned(deps, scope.principal, 'listener'),
  show: (deps, scope, id) => readOwned(deps, scope.principal, 'listener', 'Listener', id),
  create: (deps, scope, body) =>
    createListener(deps.core, scope.principal, pick<ListenerInput>(body, INPUT) as ListenerInput),
  update: (deps, scope, id, body) =>
    updateListener(deps.core, scope.principal, id, pick<ListenerInput>(body, INPUT)),
  remove: (deps, scope, id) => deleteListener(deps.core, scope.principal, id),
};
