// Reads behind the Octavia resources: an object of the caller's project (any, for admins) or
// Octavia's 404, lists of what the caller may see, and the ids of an object's children (one index
// read per parent for a few parents, one table read for many), in creation order.
import type { ModelObject, TableName, Tables } from '@weir/model';
import type { ListOptions } from '@weir/nbdb';
import type { Principal } from '../../auth/principal.js';
import type { ResourceDeps } from '../../neutron/resource.js';
import { notFound } from '../errors.js';

export function owns(principal: Principal, o: ModelObject): boolean {
  return principal.admin || o.topic === principal.projectId;
}

export async function readOwned<T extends TableName>(
  deps: ResourceDeps,
  principal: Principal,
  table: T,
  title: string,
  id: string,
): Promise<Tables[T]> {
  const o = await deps.core.store.get(table, id);
  if (!o || !owns(principal, o)) throw notFound(title, id);
  return o;
}

/** What the principal may list of a table, narrowed to one index value when given. */
export async function listOwned<T extends TableName>(
  deps: ResourceDeps,
  principal: Principal,
  table: T,
  index?: { readonly name: string; readonly value: string },
): Promise<Tables[T][]> {
  const options: ListOptions = {
    ...(principal.admin ? {} : { topic: principal.projectId }),
    ...(index ? { index } : {}),
  };
  const { items } = await deps.core.store.list(table, options);
  return items.filter((o) => owns(principal, o));
}

const byCreation = (a: ModelObject, b: ModelObject): number =>
  a.createdAt.localeCompare(b.createdAt) || a.uniqueKey - b.uniqueKey;

/** parent id → ids of the `table` objects whose `index` names it. */
export async function childIds<T extends TableName>(
  deps: ResourceDeps,
  table: T,
  index: string,
  parentOf: (o: Tables[T]) => string | undefined,
  parentIds: readonly string[],
): Promise<Map<string, string[]>> {
  const store = deps.core.store;
  let children: Tables[T][];
  if (parentIds.length > 20) children = [...(await store.list(table)).items];
  else {
    const lists = await Promise.all(
      parentIds.map((value) => store.list(table, { index: { name: index, value } })),
    );
    children = lists.flatMap((l) => l.items);
  }
  const out = new Map<string, string[]>(parentIds.map((id) => [id, []]));
  for (const c of children.sort(byCreation)) out.get(parentOf(c) ?? '')?.push(c.id);
  return out;
}
