// What an Octavia resource declares: its request types for POST and PUT (body.ts), the attributes
// lists may filter and sort on, how its model objects look on the wire, and the core calls behind
// each verb. The engine (routes.ts) turns a declaration into routes under every path prefix
// Octavia serves, with its request checks, list semantics and error shapes.
import type { Principal } from '../auth/principal.js';
import type { ApiObject, ResourceDeps } from '../neutron/resource.js';
import type { Attrs } from './body.js';
import type { Accessors, Query } from './query.js';

export type { ApiObject, ResourceDeps };

/** Who asks, under which parent (a pool's members), with which query string. */
export interface Scope {
  readonly principal: Principal;
  /** The parent's id for a nested collection ('' otherwise). */
  readonly parentId: string;
  readonly query: Query;
}

export interface OctaviaResource<M = unknown> {
  /** The request and response body key, e.g. "loadbalancer". */
  readonly singular: string;
  /** The collection's path segment and list key, e.g. "loadbalancers". */
  readonly plural: string;
  /** Octavia's name in messages: "Load Balancer <id> not found." */
  readonly title: string;
  /** The controller argument wsme names in its messages, e.g. "load_balancer", "listener_". */
  readonly arg: string;
  /** A nested collection's parent, e.g. members under `pools/{pool_id}`. */
  readonly parent?: { readonly plural: string; readonly title: string };
  readonly post?: Attrs;
  readonly put?: Attrs;
  /** What lists may filter and sort on. */
  readonly filters: Accessors;

  view(object: M): ApiObject;
  list(deps: ResourceDeps, scope: Scope): Promise<readonly M[]>;
  show(deps: ResourceDeps, scope: Scope, id: string): Promise<M>;
  create?(deps: ResourceDeps, scope: Scope, body: ApiObject): Promise<M>;
  update?(deps: ResourceDeps, scope: Scope, id: string, body: ApiObject): Promise<M>;
  remove?(deps: ResourceDeps, scope: Scope, id: string): Promise<void>;
}
