// What a Neutron resource declares (in the manner of Neutron's RESOURCE_ATTRIBUTE_MAP): its
// attributes with the rules for POST and PUT, how model objects look on the wire, and the core
// calls behind each verb. The engine (routes.ts) turns a declaration into routes with Neutron's
// request checks, filters, sorting, pagination, field selection, tags and If-Match.
import type { CoreContext } from '@weir/core';
import type { TableName } from '@weir/model';
import type { Principal } from '../auth/principal.js';
import type { Check } from './validators.js';

/** A resource as the API shows it: Neutron's attribute names and JSON values. */
export type ApiObject = Record<string, unknown>;

export interface AttrSpec {
  /** May be given on create. */
  readonly post: boolean;
  /** May be given on update. */
  readonly put: boolean;
  /** Must be given on create. */
  readonly required?: boolean;
  /** Converts and validates a value given on create or update (throws Invalid with Neutron's reason). */
  readonly check?: Check;
  /** Only admins may set it (others get PolicyNotAuthorized); the policy rule name is derived. */
  readonly adminOnly?: boolean;
  /**
   * How a list filters on it: the default compares the filter's strings with the value (with
   * booleans and numbers converted); a function decides itself; false refuses the filter.
   */
  readonly filter?: false | ((value: unknown, wanted: readonly string[]) => boolean);
  /** May be a sort_key (default: scalar attributes may). */
  readonly sort?: boolean;
}

export interface IndexQuery {
  readonly name: string;
  readonly values: readonly string[];
}

export interface ListHint {
  /** A filter the store can answer by index: one list per value, union of the results. */
  readonly index?: IndexQuery;
}

/**
 * How a filter maps onto a store index: the index name (each filter value is an index value), or
 * a function that derives the index query from the filter's values (undefined: no index fits,
 * e.g. an empty value). A function may also refuse a malformed filter with a 400.
 */
export type IndexedFilter = string | ((wanted: readonly string[]) => IndexQuery | undefined);

export interface IfMatch {
  /** `If-Match: revision_number=N`: the update or delete happens only at that revision. */
  readonly revision?: number;
}

export interface ResourceDeps {
  readonly core: CoreContext;
}

export interface NeutronResource<M = unknown> {
  /** e.g. "network"; also the request and response body key. */
  readonly singular: string;
  /** e.g. "networks"; the response key of lists. */
  readonly plural: string;
  /** URL path segment of the collection when it differs from `plural` (e.g. "security-group-rules"). */
  readonly path?: string;
  /** The store table (for the default list and for tag updates). */
  readonly table?: TableName;
  readonly attributes: Readonly<Record<string, AttrSpec>>;
  /** Filters the store can answer with an index: API attribute → store index name. */
  readonly indexedFilters?: Readonly<Record<string, IndexedFilter>>;
  /** Tags subresource (`/tags`) supported. */
  readonly tags: boolean;
  /** Whether `If-Match` is honoured (Neutron: resources with standard attributes). */
  readonly revisions: boolean;

  /** The object on the wire, as this principal may see it (some attributes are admin-only). */
  view(object: M, principal: Principal): ApiObject;
  /** Every object of this resource the principal may see, narrowed by `hint` when given. */
  list(deps: ResourceDeps, principal: Principal, hint: ListHint): Promise<readonly M[]>;
  show(deps: ResourceDeps, principal: Principal, id: string): Promise<M>;
  create?(deps: ResourceDeps, principal: Principal, body: ApiObject): Promise<M>;
  /** Native bulk create in one transaction; without it the engine creates one by one and undoes on failure. */
  createBulk?(deps: ResourceDeps, principal: Principal, bodies: readonly ApiObject[]): Promise<readonly M[]>;
  update?(
    deps: ResourceDeps,
    principal: Principal,
    id: string,
    body: ApiObject,
    ifMatch: IfMatch,
  ): Promise<M>;
  remove?(deps: ResourceDeps, principal: Principal, id: string, ifMatch: IfMatch): Promise<void>;
  /** The id of an object (for undoing an emulated bulk create). */
  idOf(object: M): string;
}
