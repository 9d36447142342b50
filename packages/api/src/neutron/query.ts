// Neutron's list semantics over API objects: filters (any attribute, several values = any of
// them), tag filters, sort_key/sort_dir, limit/marker/page_reverse with next/previous links, and
// fields. Unknown filter or sort attributes are refused (Neutron's filter-validation extension).
import { badRequest, HttpError } from '../http/http-error.js';
import type { ApiObject, AttrSpec, IndexedFilter, ListHint } from './resource.js';
import { boolean } from './validators.js';

export type Query = Readonly<Record<string, string | readonly string[] | undefined>>;

const PAGING = new Set(['fields', 'sort_key', 'sort_dir', 'limit', 'marker', 'page_reverse']);
const TAG_FILTERS = new Set(['tags', 'tags-any', 'not-tags', 'not-tags-any']);

export function values(q: Query, key: string): readonly string[] {
  const v = q[key];
  return v === undefined ? [] : typeof v === 'string' ? [v] : v;
}

export interface ListPlan {
  readonly filters: ReadonlyArray<readonly [string, readonly string[]]>;
  readonly tagFilters: ReadonlyArray<readonly [string, readonly string[]]>;
  readonly sort: ReadonlyArray<readonly [string, 1 | -1]>;
  readonly limit: number;
  readonly marker: string | undefined;
  readonly pageReverse: boolean;
  readonly fields: readonly string[];
  readonly hint: ListHint;
}

/** A map's own entry: query keys such as "constructor" must not find Object.prototype's. */
function own<V>(map: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

/** Checks a list query against the resource's attributes; throws 400 on anything unknown. */
export function planList(
  q: Query,
  attributes: Readonly<Record<string, AttrSpec>>,
  indexed: Readonly<Record<string, IndexedFilter>> = {},
): ListPlan {
  const filters: [string, string[]][] = [];
  const tagFilters: [string, string[]][] = [];
  for (const key of Object.keys(q)) {
    if (PAGING.has(key)) continue;
    const wanted = values(q, key).flatMap((v) => (TAG_FILTERS.has(key) ? v.split(',') : [v]));
    if (TAG_FILTERS.has(key)) {
      if (!('tags' in attributes)) throw badRequest(`[${key}] is invalid attribute for filtering`);
      tagFilters.push([key, wanted]);
      continue;
    }
    const spec = own(attributes, key);
    if (!spec || spec.filter === false) throw badRequest(`[${key}] is invalid attribute for filtering`);
    filters.push([key, wanted]);
  }
  const sortKeys = values(q, 'sort_key');
  const sortDirs = values(q, 'sort_dir');
  if (sortDirs.length > 0 && sortDirs.length !== sortKeys.length) {
    throw badRequest('The number of sort_keys and sort_dirs must be same');
  }
  const sort = sortKeys.map((key, i): [string, 1 | -1] => {
    const spec = own(attributes, key);
    if (!spec || spec.sort === false) throw badRequest(`${key} is invalid attribute for sort_keys`);
    const dir = sortDirs[i] ?? 'asc';
    if (dir !== 'asc' && dir !== 'desc') {
      throw badRequest(`${dir} is invalid value for sort_dirs, valid values are 'asc' and 'desc'`);
    }
    return [key, dir === 'asc' ? 1 : -1];
  });
  const limitText = values(q, 'limit').at(-1);
  let limit = 0;
  if (limitText !== undefined) {
    if (!/^\d{1,9}$/.test(limitText)) {
      throw badRequest(`Bad limit request: Limit must be an integer 0 or greater and not '${limitText}'`);
    }
    limit = Number(limitText);
  }
  const reverseText = values(q, 'page_reverse').at(-1);
  let pageReverse = false;
  if (reverseText !== undefined) {
    try {
      pageReverse = boolean(reverseText) as boolean;
    } catch {
      throw badRequest(
        `Invalid input for page_reverse. Reason: '${reverseText}' cannot be converted to boolean.`,
      );
    }
  }
  let hint: ListHint = {};
  for (const [key, wanted] of filters) {
    const index = own(indexed, key);
    if (index === undefined || wanted.length === 0) continue;
    // Functions run for every filter (they may refuse a malformed one); the first index wins.
    const query =
      typeof index === 'function'
        ? index(wanted)
        : wanted.length <= 16
          ? { name: index, values: wanted }
          : undefined;
    if (query && !hint.index) hint = { index: query };
  }
  return {
    filters,
    tagFilters,
    sort,
    limit,
    marker: values(q, 'marker').at(-1),
    pageReverse,
    fields: values(q, 'fields')
      .flatMap((f) => f.split(','))
      .filter((f) => f !== ''),
    hint,
  };
}

export function matches(
  o: ApiObject,
  plan: ListPlan,
  attributes: Readonly<Record<string, AttrSpec>>,
): boolean {
  for (const [key, wanted] of plan.filters) {
    const custom = attributes[key]?.filter;
    const value = o[key];
    if (typeof custom === 'function') {
      if (!custom(value, wanted)) return false;
    } else if (!wanted.some((w) => equalsFilter(value, w))) return false;
  }
  if (plan.tagFilters.length > 0) {
    const tags = new Set(Array.isArray(o.tags) ? (o.tags as string[]) : []);
    for (const [kind, wanted] of plan.tagFilters) {
      const all = wanted.every((t) => tags.has(t));
      const any = wanted.some((t) => tags.has(t));
      if (kind === 'tags' && !all) return false;
      if (kind === 'tags-any' && !any) return false;
      if (kind === 'not-tags' && all) return false;
      if (kind === 'not-tags-any' && any) return false;
    }
  }
  return true;
}

/** Neutron compares a filter's text with the stored value after converting it to the value's type. */
export function equalsFilter(value: unknown, wanted: string): boolean {
  if (value === null || value === undefined) return wanted === '' || wanted === 'None';
  if (typeof value === 'string') return value === wanted;
  if (typeof value === 'number') return /^-?\d+(\.\d+)?$/.test(wanted) && Number(wanted) === value;
  if (typeof value === 'boolean') {
    try {
      return boolean(wanted) === value;
    } catch {
      return false;
    }
  }
  if (Array.isArray(value)) return value.some((v) => equalsFilter(v, wanted));
  return false;
}

function compareValues(a: unknown, b: unknown): number {
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
  readonly links: ReadonlyArray<{ readonly rel: 'next' | 'previous'; readonly href: string }>;
}

/**
 * Sorts (by the requested keys, then id, so pages are stable) and cuts one page. `href(marker,
 * reverse)` builds a link to the neighbouring page.
 */
export function paginate(
  items: ApiObject[],
  plan: ListPlan,
  href: (marker: string, reverse: boolean) => string,
): Page {
  const keys: (readonly [string, 1 | -1])[] = [...plan.sort];
  if (!keys.some(([k]) => k === 'id')) keys.push(['id', 1]);
  items.sort((x, y) => {
    for (const [k, dir] of keys) {
      const c = compareValues(x[k], y[k]);
      if (c !== 0) return c * dir;
    }
    return 0;
  });
  if (plan.limit === 0 && plan.marker === undefined) return { items, links: [] };
  const ordered = plan.pageReverse ? items.reverse() : items;
  let start = 0;
  if (plan.marker !== undefined) {
    const at = ordered.findIndex((o) => o.id === plan.marker);
    if (at < 0) throw new HttpError(404, 'HTTPNotFound', `Marker ${plan.marker} could not be found.`);
    start = at + 1;
  }
  const end = plan.limit === 0 ? ordered.length : start + plan.limit;
  const page = ordered.slice(start, end);
  const links: { rel: 'next' | 'previous'; href: string }[] = [];
  const last = page.at(-1);
  const first = page[0];
  if (end < ordered.length && last)
    links.push({ rel: 'next', href: href(String(last.id), plan.pageReverse) });
  if (plan.marker !== undefined && first) {
    links.push({ rel: 'previous', href: href(String(first.id), !plan.pageReverse) });
  }
  if (plan.pageReverse) page.reverse();
  return { items: page, links };
}

/** Keeps only the requested fields (all when none were requested). */
export function selectFields(o: ApiObject, fields: readonly string[]): ApiObject {
  if (fields.length === 0) return o;
  const out: ApiObject = {};
  for (const f of fields) if (f in o) out[f] = o[f];
  return out;
}
