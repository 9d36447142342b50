// Octavia's list semantics (octavia/api/common/pagination.py) over API objects: filters on any
// attribute (several values = any of them), the tag filters, sorting by `sort=key:dir,…` or by
// `sort_key=a,b&sort_dir=asc,desc` (then created_at and id, as Octavia always appends them),
// `limit` (at most 1000 per page; 0 or less: everything), `marker`, `page_reverse=True`, and
// `fields`. Octavia's wording for every refusal.
//
// Where Weir differs from Octavia, on purpose: a `next` link appears only when there is a next page
// (Octavia adds one whenever a page is full), links keep the request's filters (Octavia's drop
// them, so a client following them would list unfiltered objects), and `page_reverse` returns the
// page just before the marker (Octavia's returns the first page of everything before it).
import { badRequest } from '../http/http-error.js';
import type { ApiObject } from '../neutron/resource.js';
import { equalsFilter, selectFields, values, type Query } from '../neutron/query.js';

export { selectFields, values, type Query };

/** How a filter or sort key reads an object: its attribute, or a derived value (loadbalancer_id). */
export type Accessors = Readonly<Record<string, (o: ApiObject) => unknown>>;

/** Plain attributes as accessors. */
export function attributes(...names: string[]): Record<string, (o: ApiObject) => unknown> {
  return Object.fromEntries(names.map((n) => [n, (o: ApiObject) => o[n]]));
}

const AUXILIARY = new Set(['limit', 'marker', 'sort', 'sort_key', 'sort_dir', 'fields', 'page_reverse']);
const TAG_FILTERS = new Set(['tags', 'tags-any', 'not-tags', 'not-tags-any']);
/** Octavia's [api_settings] pagination_max_limit default. */
export const MAX_PAGE = 1000;

export interface ListPlan {
  readonly filters: ReadonlyArray<readonly [string, readonly string[]]>;
  readonly tagFilters: ReadonlyArray<readonly [string, readonly string[]]>;
  readonly sort: ReadonlyArray<readonly [string, 'asc' | 'desc']>;
  /** undefined: no limit. */
  readonly limit: number | undefined;
  readonly marker: string | undefined;
  readonly pageReverse: boolean;
  readonly fields: readonly string[];
}

function sortDir(dir: string): 'asc' | 'desc' {
  const d = dir.toLowerCase();
  if (d !== 'asc' && d !== 'desc') throw badRequest(`Supplied sort direction '${d}' is not valid.`);
  return d;
}

function sortKeys(q: Query, accessors: Accessors): [string, 'asc' | 'desc'][] {
  const out: [string, 'asc' | 'desc'][] = [];
  const sort = values(q, 'sort').at(-1);
  const keys = values(q, 'sort_key').at(-1);
  if (sort) {
    for (const part of sort.split(',')) {
      const comps = part.split(':');
      if (comps.length > 2)
        throw badRequest(`Supplied sort key '[${comps.map((c) => `'${c}'`).join(', ')}]' is not valid.`);
      out.push([comps[0] ?? '', comps.length === 2 ? sortDir(comps[1] ?? '') : 'asc']);
    }
  } else if (keys) {
    const dirs = values(q, 'sort_dir').at(-1)?.split(',') ?? [];
    keys.split(',').forEach((k, i) => out.push([k, sortDir(dirs[i] ?? 'asc')]));
  }
  for (const [key] of out)
    if (!Object.hasOwn(accessors, key)) throw badRequest(`Supplied sort key '${key}' is not valid.`);
  for (const key of ['created_at', 'id']) if (!out.some(([k]) => k === key)) out.push([key, 'asc']);
  return out;
}

function parseLimit(q: Query): number | undefined {
  const text = values(q, 'limit').at(-1);
  if (text === undefined) return MAX_PAGE;
  if (text === 'infinite') return undefined;
  if (!/^\s*[-+]?\d+\s*$/.test(text)) throw badRequest(`Supplied pagination limit '${text}' is not valid.`);
  const n = Number(text);
  return n < 1 ? undefined : Math.min(n, MAX_PAGE);
}

/** Checks a list query against the resource's filterable attributes; Octavia's 400s otherwise. */
export function planList(q: Query, accessors: Accessors, hasTags: boolean): ListPlan {
  const filters: [string, string[]][] = [];
  const tagFilters: [string, string[]][] = [];
  for (const key of Object.keys(q)) {
    if (AUXILIARY.has(key)) continue;
    if (TAG_FILTERS.has(key) && hasTags) {
      tagFilters.push([key, values(q, key).flatMap((v) => v.split(','))]);
      continue;
    }
    if (!Object.hasOwn(accessors, key))
      throw badRequest('One or more arguments are either duplicate or invalid');
    filters.push([key, [...values(q, key)]]);
  }
  return {
    filters,
    tagFilters,
    sort: sortKeys(q, accessors),
    limit: parseLimit(q),
    marker: values(q, 'marker').at(-1),
    pageReverse: values(q, 'page_reverse').at(-1) === 'True',
    fields: values(q, 'fields')
      .flatMap((f) => f.split(','))
      .filter((f) => f !== ''),
  };
}

export function matches(o: ApiObject, plan: ListPlan, accessors: Accessors): boolean {
  for (const [key, wanted] of plan.filters) {
    const value = (accessors[key] as (o: ApiObject) => unknown)(o);
    if (!wanted.some((w) => equalsFilter(value, w))) return false;
  }
  const tags = new Set(Array.isArray(o.tags) ? (o.tags as string[]) : []);
  for (const [kind, wanted] of plan.tagFilters) {
    const all = wanted.every((t) => tags.has(t));
    const any = wanted.some((t) => tags.has(t));
    if ((kind === 'tags' && !all) || (kind === 'tags-any' && !any)) return false;
    if ((kind === 'not-tags' && all) || (kind === 'not-tags-any' && any)) return false;
  }
  return true;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a ? 1 : -1;
  const sa = typeof a === 'string' ? a : JSON.stringify(a);
  const sb = typeof b === 'string' ? b : JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export interface Page {
  readonly items: readonly ApiObject[];
  readonly links: ReadonlyArray<{ readonly href: string; readonly rel: 'next' | 'previous' }>;
}

/** Sorts and cuts one page; `href(marker, reverse)` links a neighbouring page. */
export function paginate(
  items: ApiObject[],
  plan: ListPlan,
  accessors: Accessors,
  href: (marker: string, reverse: boolean) => string,
): Page {
  items.sort((x, y) => {
    for (const [key, dir] of plan.sort) {
      const read = accessors[key] as (o: ApiObject) => unknown;
      const c = compare(read(x), read(y));
      if (c !== 0) return dir === 'asc' ? c : -c;
    }
    return 0;
  });
  // As in Octavia, page_reverse means something only with a marker.
  const reverse = plan.pageReverse && plan.marker !== undefined;
  let start = 0;
  let end = items.length;
  if (plan.marker !== undefined) {
    const at = items.findIndex((o) => o.id === plan.marker);
    if (at < 0) throw badRequest(`Supplied pagination marker '${plan.marker}' is not valid.`);
    if (reverse) end = at;
    else start = at + 1;
  }
  if (plan.limit !== undefined) {
    if (reverse) start = Math.max(start, end - plan.limit);
    else end = Math.min(end, start + plan.limit);
  }
  const page = items.slice(start, end);
  const links: { href: string; rel: 'next' | 'previous' }[] = [];
  const first = page[0];
  const last = page.at(-1);
  // Backwards: there is something before the page; forwards: after it (the marker, when reversed).
  if (first && (reverse ? start > 0 : plan.marker !== undefined))
    links.push({ href: href(String(first.id), true), rel: 'previous' });
  if (last && (reverse || end < items.length))
    links.push({ href: href(String(last.id), false), rel: 'next' });
  return { items: page.map((o) => selectFields(o, plan.fields)), links };
}
