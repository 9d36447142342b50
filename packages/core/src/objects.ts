// Building and reading model objects: base fields, visibility, reading-or-404.
import type { ModelObject, TableName, Tables } from '@weir/model';
import type { Actor, CoreContext } from './context.js';
import { badRequest, notFound } from './errors.js';

export interface BaseInput {
  readonly name?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
}

/** The fields every new object starts with; `version` is set by the store on commit. */
export async function baseFields(
  ctx: CoreContext,
  table: TableName,
  topic: string,
  input: BaseInput,
  id: string = ctx.newId(),
): Promise<{
  id: string;
  topic: string;
  version: number;
  uniqueKey: number;
  name: string;
  description: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}> {
  const now = isoSeconds(ctx.now());
  return {
    id,
    topic,
    version: 0,
    uniqueKey: await ctx.store.allocateUniqueKey(table),
    name: input.name ?? '',
    description: input.description ?? '',
    tags: [...(input.tags ?? [])],
    createdAt: now,
    updatedAt: now,
  };
}

/** Neutron reports times to the second, in UTC, with a "Z". */
export function isoSeconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** Visible to the actor: admin, own project, (networks) shared or external, (subnet pools) shared. */
export function isVisible(actor: Actor, object: ModelObject, table?: TableName): boolean {
  if (actor.admin || object.topic === actor.projectId) return true;
  if (table === 'logical_switch') {
    const n = object as Tables['logical_switch'];
    return n.shared || n.external;
  }
  if (table === 'subnet_pool') return (object as Tables['subnet_pool']).shared;
  return false;
}

/** Reads an object the actor may see, or throws Neutron's <Resource>NotFound. */
export async function readVisible<T extends TableName>(
  ctx: CoreContext,
  actor: Actor,
  table: T,
  resource: string,
  id: string,
): Promise<Tables[T]> {
  const o = await ctx.store.get(table, id);
  if (!o) throw notFound(resource, id);
  if (isVisible(actor, o, table)) return o;
  // Subnets of shared networks are visible to every project. Those of an external network are
  // not (Neutron's policy: "shared" means the network is shared; tempest's
  // test_external_network_visibility checks it): other projects use its addresses only through
  // routers' gateways and floating IPs, which core allocates on their behalf.
  if (table === 'subnet') {
    const network = await ctx.store.get('logical_switch', (o as Tables['subnet']).networkId);
    if (network?.shared) return o;
  }
  throw notFound(resource, id);
}

/** Reads an object the actor owns (or any, for admins); others' objects are "not found". */
export async function readOwned<T extends TableName>(
  ctx: CoreContext,
  actor: Actor,
  table: T,
  resource: string,
  id: string,
): Promise<Tables[T]> {
  const o = await ctx.store.get(table, id);
  if (!o || !(actor.admin || o.topic === actor.projectId)) throw notFound(resource, id);
  return o;
}

export function touch<T extends { updatedAt: string }>(ctx: CoreContext, o: T): T {
  return { ...o, updatedAt: isoSeconds(ctx.now()) };
}

/** Update and delete only at this store version (Neutron's If-Match: revision_number). */
export interface IfMatchOption {
  readonly ifMatchVersion?: number;
}

/** Inside the attempt, so the version compared is the one the commit's CAS relies on. */
export function checkRevision(current: { version: number }, options: IfMatchOption): void {
  if (options.ifMatchVersion !== undefined && current.version !== options.ifMatchVersion) {
    throw badRequest(
      'RevisionNumberConstraintFailed',
      `Constrained to ${options.ifMatchVersion}, but current revision is ${current.version}`,
    );
  }
}
