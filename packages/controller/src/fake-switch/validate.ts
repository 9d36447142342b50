// The checks OVS makes while *decoding* a flow-mod or group-mod. In a bundle they run as each
// message is added: a refusal is reported against that bundle_add's xid, the message is left
// out, and the bundle still commits (ovs-vswitchd 3.1 does exactly this). Checks that depend on
// switch state — does the group exist, does the flow overlap — run when the message is applied;
// they live in flow-table.ts and group-table.ts.
//
// Field prerequisites (ovs-fields(7)) are checked twice, as OVS does: a match on a field whose
// prerequisites the match does not establish is OFPBMC_BAD_PREREQ; an action that reads or
// writes such a field (set_field, load, move, output_reg, ct zone, learn, dec_ttl) is
// OFPBAC_MATCH_INCONSISTENT. The rules are @weir/openflow's (matchFacts, prerequisitesHold).
import {
  OFPG,
  OFPP,
  matchFacts,
  prerequisitesHold,
  type Action,
  type FieldName,
  type FlowMod,
  type GroupMod,
  type Instruction,
  type MatchFacts,
} from '@weir/openflow';
import { Refusal } from './errors.js';
import { normalizeMatch, specOf, type NormalMatch } from './match.js';

/** OVS has 255 tables; the last one is its hidden, read-only table. */
const LAST_GOTO_TABLE = 254;
/** OpenFlow 1.1+ port numbers OVS can represent: below 0xff00, or reserved (≥ 0xffffff00). */
const MAX_PORT = 0xff00;

export interface Limits {
  /** Tables a flow may be added to: 0..nTables-1. */
  readonly nTables: number;
}

/** Checks a flow-mod as OVS does on receipt; returns its match in normal form. */
export function checkFlowMod(m: FlowMod, limits: Limits): NormalMatch {
  const writes = m.command === 'add' || m.command === 'modify' || m.command === 'modify_strict';
  if (writes && m.tableId === 0xff) throw new Refusal('OFPFMFC_BAD_TABLE_ID', `${m.command} in table 255`);
  if (writes && m.tableId >= limits.nTables)
    throw new Refusal('OFPBRC_EPERM', `table ${m.tableId} is read-only`);
  const match = normalizeMatch(m.match);
  const facts = matchFacts(m.match);
  for (const c of match) {
    if (!prerequisitesHold(c.field, facts))
      throw new Refusal('OFPBMC_BAD_PREREQ', `match on ${c.field} without its prerequisites`);
  }
  checkValueRanges(match);
  if (writes) checkInstructions(m.instructions, m.tableId, facts);
  return match;
}

function checkValueRanges(match: NormalMatch): void {
  for (const c of match) {
    if (c.field === 'arp_op' && c.value > 0xffn) throw new Refusal('OFPBMC_BAD_VALUE', 'arp_op above 255');
    if (c.field === 'ct_state' && c.value > 0xffn)
      throw new Refusal('OFPBMC_BAD_VALUE', 'ct_state bits above 0xff');
    if (c.field === 'in_port' && c.value >= BigInt(MAX_PORT) && c.value < BigInt(OFPP.MAX))
      throw new Refusal('OFPBMC_BAD_VALUE', `in_port ${c.value} cannot be represented`);
  }
}

function checkInstructions(instructions: readonly Instruction[], tableId: number, facts: MatchFacts): void {
  for (let k = 0; k < instructions.length; k++) {
    const i = instructions[k] as Instruction;
    for (let j = 0; j < k; j++)
      if (instructions[j]?.type === i.type)
        throw new Refusal('OFPBIC_DUP_INST', `two ${i.type} instructions`);
    switch (i.type) {
      case 'goto_table':
        if (i.tableId <= tableId || i.tableId > LAST_GOTO_TABLE)
          throw new Refusal('OFPBIC_BAD_TABLE_ID', `goto_table:${i.tableId} from table ${tableId}`);
        break;
      case 'apply_actions':
      case 'write_actions':
        checkActions(i.actions, facts);
        break;
      case 'meter': // no meter exists: refused when applied, as OVS does (OFPMMFC_INVALID_METER)
      case 'clear_actions':
      case 'write_metadata':
        break;
    }
  }
}

/**
 * Checks an action list. With `facts` (a flow's actions) every field an action reads or writes
 * must be meaningful for the flow's packets; group buckets (no match) pass undefined. The facts
 * follow the packet: after push_vlan it has a VLAN header, after pop_vlan none.
 */
export function checkActions(actions: readonly Action[], facts: MatchFacts | undefined): void {
  let f = facts;
  for (const a of actions) {
    switch (a.type) {
      case 'output':
        checkOutPort(a.port);
        break;
      case 'group':
        if (a.groupId > OFPG.MAX) throw new Refusal('OFPBAC_BAD_OUT_GROUP', `group ${a.groupId}`);
        break;
      case 'set_field':
        if (!specOf(a.field).writable) throw new Refusal('OFPBAC_BAD_SET_TYPE', `${a.field} is read-only`);
        uses(f, a.field, 'set_field', true);
        break;
      case 'load':
        uses(f, a.dst.field, 'load to', true);
        break;
      case 'move':
        uses(f, a.src.field, 'move from', false);
        uses(f, a.dst.field, 'move to', true);
        break;
      case 'output_reg':
        uses(f, a.src.field, 'output from', false);
        break;
      case 'ct':
        if (typeof a.zone === 'object') uses(f, a.zone.field, 'ct zone from', false);
        break;
      case 'learn':
        for (const s of a.specs) if ('src' in s) uses(f, s.src.field, 'learn from', false);
        break;
      case 'dec_ttl':
        // dec_ttl reads and writes nw_ttl, which needs IP.
        if (f && !prerequisitesHold('nw_ttl', f))
          throw new Refusal('OFPBAC_MATCH_INCONSISTENT', 'dec_ttl on a flow that is not IP');
        break;
      case 'push_vlan':
        if (f) f = { ...f, vlan: true };
        break;
      case 'pop_vlan':
        if (f) f = { ...f, vlan: false };
        break;
      case 'resubmit':
      case 'ct_clear':
      case 'conjunction':
      case 'note':
      case 'controller':
      case 'set_queue':
      case 'exit':
      case 'raw':
        break;
    }
  }
}

/**
 * An action reads or writes `field`: its prerequisites must hold for the flow's packets, and
 * writing vlan_vid also needs a VLAN header (OVS refuses set_field:…->vlan_vid on untagged flows).
 */
function uses(facts: MatchFacts | undefined, field: FieldName, what: string, write: boolean): void {
  if (!facts || field === 'in_port') return;
  const ok = write && field === 'vlan_vid' ? facts.vlan : prerequisitesHold(field, facts);
  if (!ok)
    throw new Refusal('OFPBAC_MATCH_INCONSISTENT', `${what} ${field} without its prerequisites in the match`);
}

function checkOutPort(port: number): void {
  if (port === OFPP.ANY || (port >= MAX_PORT && port < OFPP.MAX))
    throw new Refusal('OFPBAC_BAD_OUT_PORT', `output to port ${port}`);
}

/** Checks a group-mod as OVS does on receipt. */
export function checkGroupMod(m: GroupMod): void {
  if (m.command === 'delete') return; // OFPG_ALL deletes all; any other id, known or not, is fine
  if (m.groupId > OFPG.MAX) throw new Refusal('OFPGMFC_INVALID_GROUP', `group id ${m.groupId}`);
  if (m.groupType === 'indirect' && m.buckets.length !== 1)
    throw new Refusal('OFPGMFC_INVALID_GROUP', `indirect group with ${m.buckets.length} buckets`);
  for (const b of m.buckets) {
    if (m.groupType === 'ff' && b.watchPort === OFPP.ANY && b.watchGroup === OFPG.ANY)
      throw new Refusal('OFPGMFC_INVALID_GROUP', 'fast-failover bucket without watch port or group');
    checkActions(b.actions, undefined);
  }
}
