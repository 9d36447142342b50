// Groups as text, in the ovs-ofctl dialect: "group_id=1,type=select,bucket=weight:10,actions=…".
// formatGroup prints what `ovs-ofctl dump-groups` / ofp-print show; parseGroup reads what
// `ovs-ofctl add-group` accepts for the attributes this library models.
import { OFPG, OFPP } from '../constants.js';
import type { Bucket, GroupDesc, GroupType } from '../messages/types.js';
import { formatActions } from './format-actions.js';
import { keyValue, parseError, parseInteger, splitTopLevel } from './lex.js';
import { parseActionList } from './parse-actions.js';
import { parsePort } from './parse-values.js';
import { formatPort } from './values.js';

const TYPES: readonly GroupType[] = ['all', 'select', 'indirect', 'ff'];

function formatBucket(b: Bucket, groupType: GroupType): string {
  let s = 'bucket=';
  // Like ovs-ofctl: the weight only when it differs from the type's default (1 for select, else 0).
  if (b.weight !== (groupType === 'select' ? 1 : 0)) s += `weight:${b.weight},`;
  if (b.watchPort !== OFPP.ANY) s += `watch_port:${formatPort(b.watchPort)},`;
  if (b.watchGroup !== OFPG.ANY) s += `watch_group:${b.watchGroup},`;
  return `${s}actions=${b.actions.length ? formatActions(b.actions) : 'drop'}`;
}

export function formatGroup(g: GroupDesc): string {
  return [
    `group_id=${g.groupId}`,
    `type=${g.groupType}`,
    ...g.buckets.map((b) => formatBucket(b, g.groupType)),
  ].join(',');
}

/** Splits "head,bucket=…,bucket=…" at each top-level "bucket=". */
function splitBuckets(text: string): { head: string; buckets: string[] } {
  const starts: number[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0 && text.startsWith('bucket=', i) && (i === 0 || text[i - 1] === ',')) starts.push(i);
  }
  const head = text.slice(0, starts[0] ?? text.length).replace(/,$/, '');
  const buckets = starts.map((s, k) =>
    text.slice(s + 'bucket='.length, starts[k + 1] ?? text.length).replace(/,$/, ''),
  );
  return { head, buckets };
}

function parseBucket(text: string, groupType: GroupType): Bucket {
  let weight = groupType === 'select' ? 1 : 0;
  let watchPort: number = OFPP.ANY;
  let watchGroup: number = OFPG.ANY;
  const at = text.indexOf('actions=');
  const attrs = at < 0 ? '' : text.slice(0, at);
  const actionsText = at < 0 ? text : text.slice(at + 'actions='.length);
  for (const t of splitTopLevel(attrs, ',')) {
    const [k, v] = keyValue(t, ':=');
    if (k === 'weight') weight = parseInteger(v ?? '', 'weight', 0xffff);
    else if (k === 'watch_port') watchPort = parsePort(v ?? '');
    else if (k === 'watch_group') watchGroup = parseInteger(v ?? '', 'watch_group');
    else throw parseError(`bucket attribute "${t}"`);
  }
  const actions =
    actionsText.trim() === 'drop' || actionsText.trim() === '' ? [] : parseActionList(actionsText);
  return { weight, watchPort, watchGroup, actions };
}

export function parseGroup(text: string): GroupDesc {
  const { head, buckets } = splitBuckets(text.trim());
  let groupId: number | undefined;
  let groupType: GroupType | undefined;
  for (const t of splitTopLevel(head, ', ')) {
    const [k, v] = keyValue(t, '=');
    if (k === 'group_id') groupId = parseInteger(v ?? '', 'group_id');
    else if (k === 'type') {
      groupType = TYPES.find((x) => x === v);
      if (!groupType) throw parseError(`group type "${v}"`);
    } else throw parseError(`group attribute "${t}"`);
  }
  if (groupId === undefined) throw parseError('group needs group_id');
  const type = groupType ?? 'all';
  return { groupId, groupType: type, buckets: buckets.map((b) => parseBucket(b, type)) };
}
