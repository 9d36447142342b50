// Actions and instructions as ovs-ofctl prints them (lib/ofp-actions.c format_*): the text after
// "actions=" in a flow dump.
import { subfieldSpec } from '../actions/subfield.js';
import type { Action, CtAction, Instruction, LearnAction, NatSpec, Subfield } from '../actions/types.js';
import { OFPP } from '../constants.js';
import { fieldByName } from '../fields/registry.js';
import { valueFromBigInt } from '../fields/values.js';
import { formatFieldValue, formatPort, hex } from './values.js';

export function formatSubfield(sf: Subfield): string {
  const spec = subfieldSpec(sf);
  if (sf.start === 0 && sf.nBits === spec.bits) return `${spec.nxmName}[]`;
  if (sf.nBits === 1) return `${spec.nxmName}[${sf.start}]`;
  return `${spec.nxmName}[${sf.start}..${sf.start + sf.nBits - 1}]`;
}

/** format_hex_arg: bytes as "01.02.03". */
export function hexArg(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('.');
}

function formatNat(n: NatSpec): string {
  if (!n.kind) return 'nat';
  let s = `nat(${n.kind}`;
  if (n.addressMin !== undefined) {
    const v6 = n.addressMin.includes(':');
    const addr = (a: string): string => (v6 && n.portMin !== undefined ? `[${a}]` : a);
    s += `=${addr(n.addressMin)}`;
    if (
      n.addressMax !== undefined &&
      n.addressMax !== n.addressMin &&
      !(n.addressMax === '0.0.0.0' || n.addressMax === '::')
    ) {
      s += `-${addr(n.addressMax)}`;
    }
    if (n.portMin) {
      s += `:${n.portMin}`;
      if (n.portMax && n.portMax !== n.portMin) s += `-${n.portMax}`;
    }
    if (n.persistent) s += ',persistent';
    if (n.portSelection) s += `,${n.portSelection}`;
  }
  return `${s})`;
}

function formatCt(a: CtAction): string {
  const parts: string[] = [];
  if (a.commit) parts.push('commit');
  if (a.force) parts.push('force');
  if (a.table !== undefined) parts.push(`table=${a.table}`);
  if (typeof a.zone === 'object') parts.push(`zone=${formatSubfield(a.zone)}`);
  else if (a.zone) parts.push(`zone=${a.zone}`);
  if (a.nat) parts.push(formatNat(a.nat));
  if (a.exec && a.exec.length > 0) parts.push(`exec(${formatActions(a.exec)})`);
  if (a.alg === 21) parts.push('alg=ftp');
  else if (a.alg === 69) parts.push('alg=tftp');
  else if (a.alg) parts.push(`alg=${a.alg}`);
  return `ct(${parts.join(',')})`;
}

function formatLearn(a: LearnAction): string {
  let s = `learn(table=${a.table}`;
  if (a.idleTimeout) s += `,idle_timeout=${a.idleTimeout}`;
  if (a.hardTimeout) s += `,hard_timeout=${a.hardTimeout}`;
  if (a.finIdleTimeout) s += `,fin_idle_timeout=${a.finIdleTimeout}`;
  if (a.finHardTimeout) s += `,fin_hard_timeout=${a.finHardTimeout}`;
  if (a.priority !== undefined && a.priority !== 0x8000) s += `,priority=${a.priority}`;
  if (a.sendFlowRem) s += ',send_flow_rem';
  if (a.deleteLearned) s += ',delete_learned';
  if (a.cookie) s += `,cookie=${hex(a.cookie)}`;
  if (a.limit) s += `,limit=${a.limit}`;
  if (a.resultDst) s += `,result_dst=${formatSubfield(a.resultDst)}`;
  for (const spec of a.specs) {
    s += ',';
    if (spec.kind === 'output') {
      s += `output:${formatSubfield(spec.src)}`;
    } else if (spec.kind === 'match') {
      if ('value' in spec) {
        const dspec = subfieldSpec(spec.dst);
        const whole = spec.dst.start === 0 && spec.dst.nBits === dspec.bits;
        s += whole
          ? `${dspec.name}=${formatFieldValue(dspec, valueFromBigInt(dspec, spec.value))}`
          : `${formatSubfield(spec.dst)}=${hex(spec.value)}`;
      } else {
        s += formatSubfield(spec.dst);
        if (spec.src.field !== spec.dst.field || spec.src.start !== spec.dst.start)
          s += `=${formatSubfield(spec.src)}`;
      }
    } else {
      s += `load:${'value' in spec ? hex(spec.value) : formatSubfield(spec.src)}->${formatSubfield(spec.dst)}`;
    }
  }
  return `${s})`;
}

export function formatAction(a: Action): string {
  switch (a.type) {
    case 'output':
      if (a.port === OFPP.CONTROLLER) return `CONTROLLER:${a.maxLen ?? 0xffff}`;
      return a.port < OFPP.MAX ? `output:${a.port}` : formatPort(a.port);
    case 'group':
      return `group:${a.groupId}`;
    case 'set_field': {
      const spec = fieldByName(a.field);
      if (!spec) return `set_field:?->${a.field}`;
      return `set_field:${formatFieldValue(spec, a.value, a.mask)}->${spec.name}`;
    }
    case 'load':
      return `load:${hex(a.value)}->${formatSubfield(a.dst)}`;
    case 'move':
      return `move:${formatSubfield(a.src)}->${formatSubfield(a.dst)}`;
    case 'resubmit': {
      const port = a.port === undefined || a.port === OFPP.IN_PORT ? undefined : a.port;
      if (port !== undefined && a.table === undefined && !a.ct) return `resubmit:${formatPort(port)}`;
      return `resubmit(${port === undefined ? '' : formatPort(port)},${a.table ?? ''}${a.ct ? ',ct' : ''})`;
    }
    case 'ct':
      return formatCt(a);
    case 'ct_clear':
      return 'ct_clear';
    case 'conjunction':
      return `conjunction(${a.id},${a.clause}/${a.nClauses})`;
    case 'learn':
      return formatLearn(a);
    case 'dec_ttl':
      return a.controllerIds && a.controllerIds.length > 0
        ? `dec_ttl(${a.controllerIds.join(',')})`
        : 'dec_ttl';
    case 'push_vlan':
      return `push_vlan:${hex(a.ethertype)}`;
    case 'pop_vlan':
      return 'pop_vlan';
    case 'note':
      return `note:${hexArg(a.data)}`;
    case 'controller': {
      const simple = !a.reason && !a.controllerId && !a.userdata?.length && !a.pause && !a.meterId;
      if (simple) return `CONTROLLER:${a.maxLen ?? 0xffff}`;
      const p: string[] = [];
      if (a.reason && a.reason !== 'action') p.push(`reason=${a.reason}`);
      if (a.maxLen !== undefined && a.maxLen !== 0xffff) p.push(`max_len=${a.maxLen}`);
      if (a.controllerId) p.push(`id=${a.controllerId}`);
      if (a.userdata?.length) p.push(`userdata=${hexArg(a.userdata)}`);
      if (a.pause) p.push('pause');
      if (a.meterId) p.push(`meter_id=${a.meterId}`);
      return `controller(${p.join(',')})`;
    }
    case 'output_reg':
      return `output:${formatSubfield(a.src)}`;
    case 'set_queue':
      return `set_queue:${a.queueId}`;
    case 'exit':
      return 'exit';
    case 'raw':
      return `raw(${a.bytes.toString('hex')})`;
  }
}

export function formatActions(actions: readonly Action[]): string {
  return actions.map(formatAction).join(',');
}

/** The text after "actions=": instructions flattened, "drop" when there is nothing to do. */
export function formatInstructions(instructions: readonly Instruction[]): string {
  const parts: string[] = [];
  for (const ins of instructions) {
    switch (ins.type) {
      case 'meter':
        parts.push(`meter:${ins.meterId}`);
        break;
      case 'apply_actions':
        if (ins.actions.length > 0) parts.push(formatActions(ins.actions));
        break;
      case 'clear_actions':
        parts.push('clear_actions');
        break;
      case 'write_actions':
        parts.push(`write_actions(${ins.actions.length ? formatActions(ins.actions) : 'drop'})`);
        break;
      case 'write_metadata':
        parts.push(
          ins.mask === 0xffffffffffffffffn
            ? `write_metadata:${hex(ins.metadata)}`
            : `write_metadata:${hex(ins.metadata)}/${hex(ins.mask)}`,
        );
        break;
      case 'goto_table':
        parts.push(`goto_table:${ins.tableId}`);
        break;
    }
  }
  return parts.length === 0 ? 'drop' : parts.join(',');
}
