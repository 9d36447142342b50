// OpenFlow 1.3 actions and instructions, standard and Nicira, as plain typed data.
// Each action's text form (what ovs-ofctl prints) is noted next to its type.
import type { FieldName, FieldValues } from '../fields/types.js';

/** Bits [start, start + nBits) of a field, as Nicira actions address them: `NXM_NX_REG0[0..15]`. */
export interface Subfield {
  readonly field: FieldName;
  readonly start: number;
  readonly nBits: number;
}

/** `output:2`, `IN_PORT`, `LOCAL`, `CONTROLLER:65535` (maxLen applies to CONTROLLER). */
export interface OutputAction {
  readonly type: 'output';
  readonly port: number;
  readonly maxLen?: number;
}

/** `group:5` */
export interface GroupAction {
  readonly type: 'group';
  readonly groupId: number;
}

/** `set_field:10.0.0.1->ip_dst` (a mask makes it a Nicira reg_load2: `set_field:0x1/0x3->reg0`). */
export type SetFieldAction = {
  [F in FieldName]: {
    readonly type: 'set_field';
    readonly field: F;
    readonly value: FieldValues[F];
    readonly mask?: FieldValues[F];
  };
}[FieldName];

/** `load:0x5->NXM_NX_REG0[0..15]` (Nicira reg_load). */
export interface LoadAction {
  readonly type: 'load';
  readonly dst: Subfield;
  readonly value: bigint;
}

/** `move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]` (Nicira reg_move). */
export interface MoveAction {
  readonly type: 'move';
  readonly src: Subfield;
  readonly dst: Subfield;
}

/** `resubmit(,10)`, `resubmit:3`, `resubmit(2,10)`, `resubmit(,10,ct)`. */
export interface ResubmitAction {
  readonly type: 'resubmit';
  /** Omitted: the packet's own in_port. */
  readonly port?: number;
  /** Omitted: the current table. */
  readonly table?: number;
  /** Look up with the conntrack original-direction tuple. */
  readonly ct?: boolean;
}

export interface NatSpec {
  /** Omitted: "nat" with no arguments (apply the NAT of an existing connection). */
  readonly kind?: 'src' | 'dst';
  readonly addressMin?: string;
  readonly addressMax?: string;
  readonly portMin?: number;
  readonly portMax?: number;
  readonly persistent?: boolean;
  /** Port selection: `hash` or `random`. */
  readonly portSelection?: 'hash' | 'random';
}

/** `ct(commit,zone=NXM_NX_REG6[0..15],table=20,nat(src=10.0.0.1),exec(set_field:0x1->ct_mark))`. */
export interface CtAction {
  readonly type: 'ct';
  readonly commit?: boolean;
  readonly force?: boolean;
  /** An immediate zone, or a subfield to read the zone from. */
  readonly zone?: number | Subfield;
  /** Recirculate to this table after conntrack; omitted: no recirculation. */
  readonly table?: number;
  readonly alg?: number;
  readonly nat?: NatSpec;
  /** Only set_field/load of ct_mark and ct_label are meaningful here. */
  readonly exec?: readonly Action[];
}

/** `ct_clear` */
export interface CtClearAction {
  readonly type: 'ct_clear';
}

/** `conjunction(id,clause/nClauses)`; clause is 1-based as in the text form. */
export interface ConjunctionAction {
  readonly type: 'conjunction';
  readonly id: number;
  readonly clause: number;
  readonly nClauses: number;
}

export type LearnSpec =
  /** `NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[]` or `tcp_dst=80` */
  | { readonly kind: 'match'; readonly dst: Subfield; readonly src: Subfield }
  | { readonly kind: 'match'; readonly dst: Subfield; readonly value: bigint }
  /** `load:NXM_NX_REG0[]->NXM_NX_REG1[]` or `load:0x1->NXM_NX_REG2[0..7]` */
  | { readonly kind: 'load'; readonly dst: Subfield; readonly src: Subfield }
  | { readonly kind: 'load'; readonly dst: Subfield; readonly value: bigint }
  /** `output:NXM_OF_IN_PORT[]` */
  | { readonly kind: 'output'; readonly src: Subfield };

/** `learn(table=10,idle_timeout=30,priority=100,…specs…)` */
export interface LearnAction {
  readonly type: 'learn';
  readonly table: number;
  readonly idleTimeout?: number;
  readonly hardTimeout?: number;
  readonly finIdleTimeout?: number;
  readonly finHardTimeout?: number;
  readonly priority?: number;
  readonly cookie?: bigint;
  readonly sendFlowRem?: boolean;
  readonly deleteLearned?: boolean;
  /** Maximum number of flows this action may learn (0 or omitted: unlimited). */
  readonly limit?: number;
  /** Write 1 (learned) or 0 (limit hit) into this bit. */
  readonly resultDst?: Subfield;
  readonly specs: readonly LearnSpec[];
}

/** `dec_ttl` or `dec_ttl(1,2)` (controller ids to notify when TTL expires). */
export interface DecTtlAction {
  readonly type: 'dec_ttl';
  readonly controllerIds?: readonly number[];
}

/** `push_vlan:0x8100` */
export interface PushVlanAction {
  readonly type: 'push_vlan';
  readonly ethertype: number;
}

/** `pop_vlan` */
export interface PopVlanAction {
  readonly type: 'pop_vlan';
}

/** `note:01.02.03` — opaque bytes, for humans and tools reading flow dumps. */
export interface NoteAction {
  readonly type: 'note';
  readonly data: Buffer;
}

/** `controller(reason=no_match,id=3,userdata=01.02,pause)` (Nicira controller/controller2). */
export interface ControllerAction {
  readonly type: 'controller';
  readonly maxLen?: number;
  /** OFPR_* reason reported in the packet-in; default action. */
  readonly reason?: PacketInReasonName;
  readonly controllerId?: number;
  /** Bytes handed back in the NXT_PACKET_IN2 userdata property. */
  readonly userdata?: Buffer;
  /** Freeze the pipeline; the controller resumes it with NXT_RESUME. */
  readonly pause?: boolean;
  readonly meterId?: number;
}

/** `output:NXM_NX_REG1[0..15]` */
export interface OutputRegAction {
  readonly type: 'output_reg';
  readonly src: Subfield;
  readonly maxLen?: number;
}

/** `set_queue:3` */
export interface SetQueueAction {
  readonly type: 'set_queue';
  readonly queueId: number;
}

/** `exit` */
export interface ExitAction {
  readonly type: 'exit';
}

/** An action this library does not model, kept byte-exact (type, and for experimenters id/subtype). */
export interface RawAction {
  readonly type: 'raw';
  readonly actionType: number;
  readonly experimenter?: number;
  readonly subtype?: number;
  /** The whole action including its header. */
  readonly bytes: Buffer;
}

export type Action =
  | OutputAction
  | GroupAction
  | SetFieldAction
  | LoadAction
  | MoveAction
  | ResubmitAction
  | CtAction
  | CtClearAction
  | ConjunctionAction
  | LearnAction
  | DecTtlAction
  | PushVlanAction
  | PopVlanAction
  | NoteAction
  | ControllerAction
  | OutputRegAction
  | SetQueueAction
  | ExitAction
  | RawAction;

export type PacketInReasonName =
  'no_match' | 'action' | 'invalid_ttl' | 'action_set' | 'group' | 'packet_out';

export const PACKET_IN_REASONS: readonly PacketInReasonName[] = [
  'no_match',
  'action',
  'invalid_ttl',
  'action_set',
  'group',
  'packet_out',
];

export type Instruction =
  | { readonly type: 'meter'; readonly meterId: number }
  | { readonly type: 'apply_actions'; readonly actions: readonly Action[] }
  | { readonly type: 'clear_actions' }
  | { readonly type: 'write_actions'; readonly actions: readonly Action[] }
  | { readonly type: 'write_metadata'; readonly metadata: bigint; readonly mask: bigint }
  | { readonly type: 'goto_table'; readonly tableId: number };
