// Health monitors (core: services/lb/health-monitors.ts): one per pool. Weir's data plane probes
// members with them; members of a monitored pool are ONLINE until a probe says otherwise, those of
// an unmonitored pool NO_MONITOR. HTTP checks take http_method, url_path and expected_codes
// (Octavia's defaults GET, "/", "200"); http_version and domain_name are not implemented.
import {
  createHealthMonitor,
  deleteHealthMonitor,
  updateHealthMonitor,
  type HealthMonitorInput,
} from '@weir/core';
import type { HealthMonitor } from '@weir/model';
import type { Attrs } from '../body.js';
import { isEmpty } from '../body.js';
import { attributes } from '../query.js';
import type { ApiObject, OctaviaResource } from '../resource.js';
import { boolean, integer, oneOf, string, tags, urlPath, uuid, type OType } from '../types.js';
import { BASE_FILTERS, baseView, idOnly, pick } from '../views.js';
import { listOwned, readOwned } from './read.js';

/** octavia_lib's SUPPORTED_HEALTH_MONITOR_TYPES and _HTTP_METHODS. */
const TYPES = ['HTTP', 'HTTPS', 'PING', 'TCP', 'TLS-HELLO', 'UDP-CONNECT', 'SCTP'];
const METHODS = ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'];
const EXPECTED_CODES = /^(\d{3}(\s*,\s*\d{3})*)$|^(\d{3}-\d{3})$/;
const retries = integer(1, 10);
const number: OType = (v) => v;

const INPUT: Readonly<Record<string, keyof HealthMonitorInput>> = {
  name: 'name',
  tags: 'tags',
  admin_state_up: 'adminStateUp',
  pool_id: 'poolId',
  type: 'type',
  delay: 'delay',
  timeout: 'timeout',
  max_retries: 'maxRetries',
  max_retries_down: 'maxRetriesDown',
  http_method: 'httpMethod',
  url_path: 'urlPath',
  expected_codes: 'expectedCodes',
};

const HTTP_CHECK: Attrs = {
  http_method: { type: oneOf(METHODS) },
  url_path: { type: urlPath },
  expected_codes: { type: string({ pattern: EXPECTED_CODES }) },
  http_version: { type: number, onNull: null, accepts: isEmpty },
  domain_name: { type: string({ min: 1, max: 255 }), onNull: null, accepts: isEmpty },
};

const POST: Attrs = {
  name: { type: string({ max: 255 }) },
  type: { type: oneOf(TYPES), mandatory: true },
  delay: { type: integer(0), mandatory: true },
  timeout: { type: integer(0), mandatory: true },
  max_retries_down: { type: retries },
  max_retries: { type: retries, mandatory: true },
  admin_state_up: { type: boolean },
  project_id: { type: string({ max: 36 }) },
  tenant_id: { type: string({ max: 36 }) },
  pool_id: { type: uuid, mandatory: true },
  tags: { type: tags },
  ...HTTP_CHECK,
};

const PUT: Attrs = {
  name: { type: string({ max: 255 }), onNull: '' },
  delay: { type: integer(0) },
  timeout: { type: integer(0) },
  max_retries_down: { type: retries, onNull: 3 },
  max_retries: { type: retries },
  admin_state_up: { type: boolean, onNull: false },
  tags: { type: tags, onNull: [] },
  ...HTTP_CHECK,
};

export const healthMonitors: OctaviaResource<HealthMonitor> = {
  singular: 'healthmonitor',
  plural: 'healthmonitors',
  title: 'Health Monitor',
  arg: 'health_monitor_',
  post: POST,
  put: PUT,
  filters: {
    ...attributes(
      ...BASE_FILTERS.filter((k) => k !== 'description'),
      'type',
      'delay',
      'timeout',
      'max_retries',
      'max_retries_down',
      'http_method',
      'url_path',
      'expected_codes',
    ),
    pool_id: (o: ApiObject) => (o.pools as { id: string }[])[0]?.id,
  },

  view(hm): ApiObject {
    return Object.assign(baseView(hm, { description: false }), {
      type: hm.type,
      delay: hm.delay,
      timeout: hm.timeout,
      max_retries: hm.maxRetries,
      max_retries_down: hm.maxRetriesDown,
      http_method: hm.httpMethod ?? null,
      url_path: hm.urlPath ?? null,
      expected_codes: hm.expectedCodes ?? null,
      http_version: null,
      domain_name: null,
      pools: idOnly([hm.poolId]),
    });
  },

  list: (deps, scope) => listOwned(deps, scope.principal, 'health_monitor'),
  show: (deps, scope, id) => readOwned(deps, scope.principal, 'health_monitor', 'Health Monitor', id),
  create: (deps, scope, body) =>
    createHealthMonitor(
      deps.core,
      scope.principal,
      pick<HealthMonitorInput>(body, INPUT) as HealthMonitorInput,
    ),
  update: (deps, scope, id, body) =>
    updateHealthMonitor(deps.core, scope.principal, id, pick<HealthMonitorInput>(body, INPUT)),
  remove: (deps, scope, id) => deleteHealthMonitor(deps.core, scope.principal, id),
};
