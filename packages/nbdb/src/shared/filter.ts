// Watch filters, compiled once per watch: which (table, topic) pairs a watcher receives. Shared by
// every driver so "tables: [] means all" and "topics: [] means none" mean the same everywhere.
import type { ModelObject, TableName } from '@weir/model';
import type { WatchEvent, WatchFilter } from '../store.js';

export type EventMatcher = (table: TableName, topic: string) => boolean;

export function compileFilter(filter: WatchFilter): EventMatcher {
  const tables = filter.tables && filter.tables.length > 0 ? new Set<string>(filter.tables) : undefined;
  const topics = filter.topics ? new Set(filter.topics) : undefined;
  return (table, topic) => (!tables || tables.has(table)) && (!topics || topics.has(topic));
}

function eventObject(event: Exclude<WatchEvent, { type: 'reset' }>): ModelObject {
  return event.type === 'put' ? event.object : event.prev;
}

/** The events of one batch that `match` accepts (the same array when it accepts all of them). */
export function filterEvents(events: readonly WatchEvent[], match: EventMatcher): readonly WatchEvent[] {
  let out: WatchEvent[] | undefined;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as WatchEvent;
    const keep = event.type === 'reset' || match(event.table, eventObject(event).topic);
    if (keep) out?.push(event);
    else out ??= events.slice(0, i);
  }
  return out ?? events;
}
