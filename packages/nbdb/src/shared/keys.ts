// The key layout of a key-value backed store (ADR 0006), one place for every driver that needs
// one (etcd; the embedded drivers keep maps instead but share the rules):
//
//   <prefix>/o/<table>/<topic>/<id>           the object (JSON)
//   <prefix>/id/<table>/<id>                  locator: the object's topic (an id is unique per table)
//   <prefix>/ix/<table>/<index>/<value>/<id>  index entry (empty value)
//   <prefix>/cl/<namespace>/<key>             claim: the owner
//   <prefix>/uk/<table>                       unique-key counter (highest key handed out)
//
// Every variable segment is percent-encoded, so a value holding "/" (a CIDR) cannot escape its
// segment, and every range ("all objects of a topic") ends in "/" so topic "p1" never matches "p10".
import type { TableName } from '@weir/model';

/** One path segment: `encodeURIComponent` escapes "/" and "%" (and is reversible). */
export function encodeSegment(value: string): string {
  return encodeURIComponent(value);
}

export function decodeSegment(segment: string): string {
  return decodeURIComponent(segment);
}

export interface KeyLayout {
  readonly prefix: string;
  object(table: TableName, topic: string, id: string): string;
  /** Range prefix of every object of a table, or of one topic of it. */
  objects(table: TableName, topic?: string): string;
  locator(table: TableName, id: string): string;
  indexEntry(table: TableName, index: string, value: string, id: string): string;
  /** Range prefix of the entries of one index value (empty range: no object listed under it). */
  indexValue(table: TableName, index: string, value: string): string;
  claim(namespace: string, key: string): string;
  /** Range prefix of every claim of a namespace. */
  claims(namespace: string): string;
  uniqueKey(table: TableName): string;
}

/** The layout under `prefix` (no trailing slash; "" is allowed and means the root). */
export function keyLayout(prefix: string): KeyLayout {
  const p = prefix.replace(/\/+$/, '');
  const s = encodeSegment;
  return {
    prefix: p,
    object: (table, topic, id) => `${p}/o/${table}/${s(topic)}/${s(id)}`,
    objects: (table, topic) => (topic === undefined ? `${p}/o/${table}/` : `${p}/o/${table}/${s(topic)}/`),
    locator: (table, id) => `${p}/id/${table}/${s(id)}`,
    indexEntry: (table, index, value, id) => `${p}/ix/${table}/${s(index)}/${s(value)}/${s(id)}`,
    indexValue: (table, index, value) => `${p}/ix/${table}/${s(index)}/${s(value)}/`,
    claim: (namespace, key) => `${p}/cl/${s(namespace)}/${s(key)}`,
    claims: (namespace) => `${p}/cl/${s(namespace)}/`,
    uniqueKey: (table) => `${p}/uk/${table}`,
  };
}
