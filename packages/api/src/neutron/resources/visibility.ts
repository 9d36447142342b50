// The default way a resource lists what a principal may see, narrowed by an index hint when the
// query has one: admins read the table (or the index), others their project's topic, plus any
// extra index the resource makes public (shared and external networks). Callers still check
// visibility per object: an index read is a superset.
import type { ListOptions } from '@weir/nbdb';
import type { TableName, Tables } from '@weir/model';
import type { Principal } from '../../auth/principal.js';
import type { IndexQuery, ListHint, ResourceDeps } from '../resource.js';

export async function listVisible<T extends TableName>(
  deps: ResourceDeps,
  principal: Principal,
  table: T,
  hint: ListHint,
  publicIndexes: ReadonlyArray<{ readonly name: string; readonly value: string }> = [],
): Promise<Tables[T][]> {
  const store = deps.core.store;
  const queries: ListOptions[] = [];
  const topic = principal.admin ? {} : { topic: principal.projectId };
  if (hint.index) {
    // With public objects in play, other projects' objects may match the index too: read it
    // without the topic and let the caller's visibility check sort them out.
    const scope = publicIndexes.length > 0 ? {} : topic;
    for (const value of hint.index.values)
      queries.push({ ...scope, index: { name: hint.index.name, value } });
  } else {
    queries.push(topic);
    if (!principal.admin) for (const index of publicIndexes) queries.push({ index });
  }
  const results = await Promise.all(queries.map((q) => store.list(table, q)));
  if (results.length === 1) return [...(results[0]?.items ?? [])];
  const byId = new Map<string, Tables[T]>();
  for (const r of results) for (const o of r.items) byId.set(o.id, o);
  return [...byId.values()];
}

/**
 * A filter the store answers with an index when every wanted value is non-empty (indexes skip
 * empty values: `?device_id=` means "no device", which no index entry holds) and there are few of
 * them (each is one index read).
 */
export const nonEmptyIndex =
  (name: string) =>
  (wanted: readonly string[]): IndexQuery | undefined =>
    wanted.length <= 16 && wanted.every((w) => w !== '') ? { name, values: wanted } : undefined;

/** `?name=`: every resource with a name index (see @weir/model's tables). */
export const NAME_FILTER = { name: nonEmptyIndex('name') } as const;
