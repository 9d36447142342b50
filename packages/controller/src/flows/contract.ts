// The contract check (after Faucet's valve_table.py): every match, write, jump and action kind of
// a flow is compared with its table's declaration, and anything the table does not allow is
// refused with WEIR_PIPELINE_CONTRACT, naming the table, the field or target, and the rule. A
// pipeline bug thus fails the unit test that builds the flow instead of silently dropping packets.
import { OFPP, type Action, type FieldName, type MatchEntry, type Subfield } from '@weir/openflow';
import { ControllerError } from '../errors.js';
import type { Mark, RegisterField } from '../pipeline/registers.js';
import { maskBits, registerUse } from '../pipeline/registers.js';
import type { ContractField, PipelineTable, TableContract } from '../pipeline/table.js';
import { PIPELINE } from '../pipeline/tables.js';

export type ContractRule =
  'owner' | 'match' | 'set' | 'read' | 'jump' | 'output' | 'controller' | 'group' | 'ct' | 'learn' | 'action';

function refuse(table: PipelineTable, rule: ContractRule, subject: string, why: string): ControllerError {
  return new ControllerError('WEIR_PIPELINE_CONTRACT', `${table.name}: ${why} (rule: ${rule})`, {
    table: table.name,
    subject,
    rule,
  });
}

function allows(list: readonly ContractField[], f: RegisterField | Mark): boolean {
  // A listed register field covers its marks; a listed mark covers only itself.
  return list.includes(f) || (f.kind === 'mark' && list.includes(f.field));
}

/** Check a use (match, write or read) of some bits of `field` against `list`. */
function checkField(
  table: PipelineTable,
  rule: 'match' | 'set' | 'read',
  list: readonly ContractField[] | 'any-declared',
  field: FieldName,
  mask: bigint | undefined,
): void {
  const verb = rule === 'match' ? 'match on' : rule === 'set' ? 'write to' : 'read of';
  const use = registerUse(field, mask);
  if (use === undefined) {
    if (list !== 'any-declared' && !list.includes(field as ContractField)) {
      throw refuse(table, rule, field, `${verb} ${field} is not in its contract`);
    }
    return;
  }
  if (use.undeclared) {
    throw refuse(table, rule, use.raw, `${verb} ${use.raw}: bits no register field declares (registers.ts)`);
  }
  if (list === 'any-declared') return;
  for (const f of [...use.fields, ...use.marks]) {
    if (!allows(list, f)) throw refuse(table, rule, f.name, `${verb} ${f.name} is not in its contract`);
  }
}

function subfieldMask(s: Subfield): bigint {
  return ((1n << BigInt(s.nBits)) - 1n) << BigInt(s.start);
}

export function checkMatch(table: PipelineTable, match: readonly MatchEntry[]): void {
  for (const e of match) {
    if (e.field === 'unknown') throw refuse(table, 'match', 'unknown', 'a match on an unknown OXM field');
    checkField(table, 'match', table.contract.matches, e.field, maskBits(e.mask));
  }
}

/** A jump to `target` (goto_table, resubmit, ct(table=…)): declared, and allowed by the contract. */
export function checkJump(
  table: PipelineTable,
  target: PipelineTable | number | undefined,
  how: string,
): void {
  if (target === undefined) {
    throw refuse(table, 'jump', how, `${how} without a table would loop in ${table.name}`);
  }
  const t = typeof target === 'number' ? PIPELINE.tables[target] : target;
  const name = typeof target === 'number' ? `table ${target}` : target.name;
  if (t === undefined || PIPELINE.tables[t.id] !== t) {
    throw refuse(table, 'jump', name, `${how} to ${name}, which the pipeline does not declare`);
  }
  if (!table.contract.next.includes(t.name)) {
    throw refuse(table, 'jump', t.name, `${how} to ${t.name} is not in its contract`);
  }
}

function capability(table: PipelineTable, key: keyof TableContract & ContractRule, subject: string): void {
  if (table.contract[key] !== true) throw refuse(table, key, subject, `${subject} is not allowed here`);
}

/** Check actions as they would run in `table` (flow actions, ct exec, group buckets). */
export function checkActions(table: PipelineTable, actions: readonly Action[]): void {
  const sets = table.contract.sets;
  for (const a of actions) {
    switch (a.type) {
      case 'output':
        if (a.port === OFPP.CONTROLLER) capability(table, 'controller', 'output:CONTROLLER');
        else capability(table, 'output', 'output');
        break;
      case 'output_reg':
        capability(table, 'output', 'output_reg');
        checkField(table, 'read', 'any-declared', a.src.field, subfieldMask(a.src));
        break;
      case 'controller':
        capability(table, 'controller', 'controller');
        break;
      case 'group':
        capability(table, 'group', 'group');
        break;
      case 'set_field':
        checkField(table, 'set', sets, a.field, maskBits(a.mask));
        break;
      case 'load':
        checkField(table, 'set', sets, a.dst.field, subfieldMask(a.dst));
        break;
      case 'move':
        checkField(table, 'read', 'any-declared', a.src.field, subfieldMask(a.src));
        checkField(table, 'set', sets, a.dst.field, subfieldMask(a.dst));
        break;
      case 'resubmit':
        if (a.port !== undefined) throw refuse(table, 'jump', 'resubmit', 'resubmit with an in_port');
        checkJump(table, a.table, 'resubmit');
        break;
      case 'ct':
        capability(table, 'ct', 'ct');
        if (a.table !== undefined) checkJump(table, a.table, 'ct(table=…)');
        if (typeof a.zone === 'object')
          checkField(table, 'read', 'any-declared', a.zone.field, subfieldMask(a.zone));
        if (a.exec !== undefined) checkActions(table, a.exec);
        break;
      case 'ct_clear':
        capability(table, 'ct', 'ct_clear');
        break;
      case 'learn': {
        capability(table, 'learn', 'learn');
        const into = PIPELINE.tables[a.table];
        if (into === undefined || into.owner !== table.owner) {
          throw refuse(table, 'learn', `table ${a.table}`, `learn into a table ${table.owner} does not own`);
        }
        break;
      }
      case 'dec_ttl':
        checkField(table, 'set', sets, 'nw_ttl', undefined);
        break;
      case 'push_vlan':
      case 'pop_vlan':
        checkField(table, 'set', sets, 'vlan_vid', undefined);
        break;
      case 'conjunction':
      case 'note':
      case 'set_queue':
      case 'exit':
        break;
      case 'raw':
        throw refuse(table, 'action', 'raw', 'an action the codec does not model cannot be checked');
    }
  }
}
