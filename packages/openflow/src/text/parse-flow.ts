// Flow text → FlowMod: accepts what `ovs-ofctl add-flow` accepts for the fields this library
// models, and what `ovs-ofctl dump-flows` prints (stats such as duration and n_packets are
// read and ignored), so golden tests can round-trip either.
import { OFP_DEFAULT_PRIORITY } from '../constants.js';
import { flowMod } from '../messages/flow.js';
import type { FlowMod, FlowModFlags } from '../messages/types.js';
import { keyValue, parseBigInt, parseError, parseInteger, splitTopLevel } from './lex.js';
import { parseInstructions } from './parse-actions.js';
import { parseMatchPairs } from './parse-match.js';
import { parsePort } from './parse-values.js';

const STATS_KEYS = new Set(['duration', 'n_packets', 'n_bytes', 'idle_age', 'hard_age', 'importance']);

function findActions(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0 && text.startsWith('actions=', i) && (i === 0 || /[\s,]/.test(text[i - 1] ?? '')))
      return i;
  }
  return -1;
}

export function parseFlow(text: string, command: FlowMod['command'] = 'add'): FlowMod {
  const at = findActions(text);
  const isDelete = command === 'delete' || command === 'delete_strict';
  if (at < 0 && !isDelete) throw parseError(`flow has no actions: "${text}"`);
  const head = at < 0 ? text : text.slice(0, at);
  const actionsText = at < 0 ? '' : text.slice(at + 'actions='.length).trim();
  const pairs: [string, string | undefined][] = [];
  let tableId: number | undefined;
  let priority = OFP_DEFAULT_PRIORITY;
  let cookie = 0n;
  let cookieMask = 0n;
  let idleTimeout = 0;
  let hardTimeout = 0;
  let outPort: number | undefined;
  let outGroup: number | undefined;
  const flags: { -readonly [K in keyof FlowModFlags]: FlowModFlags[K] } = {};
  for (const token of splitTopLevel(head, ', \t')) {
    const [k, v] = keyValue(token, '=');
    if (STATS_KEYS.has(k)) continue;
    switch (k) {
      case 'table':
        tableId = parseInteger(v ?? '', 'table', 255);
        break;
      case 'priority':
        priority = parseInteger(v ?? '', 'priority', 0xffff);
        break;
      case 'cookie': {
        const [c, m] = (v ?? '').split('/');
        cookie = parseBigInt(c ?? '', 'cookie');
        if (m !== undefined) cookieMask = parseBigInt(m, 'cookie mask');
        break;
      }
      case 'idle_timeout':
        idleTimeout = parseInteger(v ?? '', k, 0xffff);
        break;
      case 'hard_timeout':
        hardTimeout = parseInteger(v ?? '', k, 0xffff);
        break;
      case 'out_port':
        outPort = parsePort(v ?? '');
        break;
      case 'out_group':
        outGroup = parseInteger(v ?? '', k);
        break;
      case 'send_flow_rem':
        flags.sendFlowRem = true;
        break;
      case 'check_overlap':
        flags.checkOverlap = true;
        break;
      case 'reset_counts':
        flags.resetCounts = true;
        break;
      case 'no_packet_counts':
        flags.noPacketCounts = true;
        break;
      case 'no_byte_counts':
        flags.noByteCounts = true;
        break;
      default:
        pairs.push([k, v]);
    }
  }
  return flowMod({
    command,
    ...(tableId === undefined ? {} : { tableId }),
    priority,
    cookie,
    cookieMask,
    idleTimeout,
    hardTimeout,
    ...(outPort === undefined ? {} : { outPort }),
    ...(outGroup === undefined ? {} : { outGroup }),
    flags,
    match: parseMatchPairs(pairs),
    instructions: actionsText ? parseInstructions(actionsText) : [],
  });
}

/** Parses a multi-line flow file (ovs-ofctl add-flows format): blank lines and # comments skipped. */
export function parseFlows(text: string): FlowMod[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => parseFlow(l));
}
