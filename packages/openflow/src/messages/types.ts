// Every OpenFlow 1.3 message this library speaks, as plain typed data. The transaction id
// travels beside the message (see codec.ts), never inside it.
import type { Action, Instruction, PacketInReasonName } from '../actions/types.js';
import type { Match } from '../match/types.js';

export type FlowModCommand = 'add' | 'modify' | 'modify_strict' | 'delete' | 'delete_strict';

export interface FlowModFlags {
  readonly sendFlowRem?: boolean;
  readonly checkOverlap?: boolean;
  readonly resetCounts?: boolean;
  readonly noPacketCounts?: boolean;
  readonly noByteCounts?: boolean;
}

export interface FlowMod {
  readonly type: 'flow_mod';
  readonly command: FlowModCommand;
  readonly tableId: number;
  readonly priority: number;
  readonly match: Match;
  readonly instructions: readonly Instruction[];
  readonly cookie: bigint;
  /** For modify/delete: only flows whose cookie matches under this mask. */
  readonly cookieMask: bigint;
  readonly idleTimeout: number;
  readonly hardTimeout: number;
  readonly bufferId: number;
  /** For delete: only flows that output to this port (OFPP_ANY: any). */
  readonly outPort: number;
  /** For delete: only flows that output to this group (OFPG_ANY: any). */
  readonly outGroup: number;
  readonly flags: FlowModFlags;
}

export type GroupType = 'all' | 'select' | 'indirect' | 'ff';

export interface Bucket {
  /** Relative weight for select groups (0 for other types). */
  readonly weight: number;
  /** Liveness port for fast-failover groups (OFPP_ANY when unused). */
  readonly watchPort: number;
  readonly watchGroup: number;
  readonly actions: readonly Action[];
}

export interface GroupMod {
  readonly type: 'group_mod';
  readonly command: 'add' | 'modify' | 'delete';
  readonly groupType: GroupType;
  readonly groupId: number;
  readonly buckets: readonly Bucket[];
}

export interface PacketIn {
  readonly type: 'packet_in';
  readonly bufferId: number;
  readonly totalLen: number;
  readonly reason: PacketInReasonName;
  readonly tableId: number;
  readonly cookie: bigint;
  /** Pipeline metadata at the time of the packet-in: in_port, registers, tunnel, ct state… */
  readonly match: Match;
  readonly data: Buffer;
}

/**
 * Open vSwitch's extended packet-in (NXT_PACKET_IN2). It carries the `controller(userdata=…)`
 * bytes and, with `pause`, a continuation the controller hands back in NXT_RESUME.
 */
export interface NxPacketIn2 {
  readonly type: 'nx_packet_in2';
  readonly data: Buffer;
  readonly fullLen?: number;
  readonly bufferId?: number;
  readonly tableId: number;
  readonly cookie: bigint;
  readonly reason: PacketInReasonName;
  readonly metadata: Match;
  readonly userdata?: Buffer;
  /** Opaque pipeline state; present when the controller action paused the pipeline. */
  readonly continuation?: Buffer;
}

/** NXT_RESUME: continue a paused pipeline, optionally with a modified packet. */
export interface NxResume {
  readonly type: 'nx_resume';
  readonly data: Buffer;
  readonly metadata: Match;
  readonly continuation: Buffer;
}

export interface PacketOut {
  readonly type: 'packet_out';
  readonly bufferId: number;
  readonly inPort: number;
  readonly actions: readonly Action[];
  readonly data: Buffer;
}

export interface PortDesc {
  readonly portNo: number;
  readonly hwAddr: string;
  readonly name: string;
  readonly config: number;
  readonly state: number;
  readonly curr: number;
  readonly advertised: number;
  readonly supported: number;
  readonly peer: number;
  readonly currSpeed: number;
  readonly maxSpeed: number;
}

export interface FlowStats {
  readonly tableId: number;
  readonly durationSec: number;
  readonly durationNsec: number;
  readonly priority: number;
  readonly idleTimeout: number;
  readonly hardTimeout: number;
  readonly flags: FlowModFlags;
  readonly cookie: bigint;
  readonly packetCount: bigint;
  readonly byteCount: bigint;
  readonly match: Match;
  readonly instructions: readonly Instruction[];
}

export interface GroupDesc {
  readonly groupType: GroupType;
  readonly groupId: number;
  readonly buckets: readonly Bucket[];
}

export interface SwitchDesc {
  readonly manufacturer: string;
  readonly hardware: string;
  readonly software: string;
  readonly serialNumber: string;
  readonly datapath: string;
}

export interface FlowStatsRequest {
  readonly tableId: number;
  readonly outPort: number;
  readonly outGroup: number;
  readonly cookie: bigint;
  readonly cookieMask: bigint;
  readonly match: Match;
}

export type MultipartRequestBody =
  | { readonly kind: 'desc' }
  | ({ readonly kind: 'flow' } & FlowStatsRequest)
  | { readonly kind: 'group_desc' }
  | { readonly kind: 'port_desc' }
  | { readonly kind: 'unknown'; readonly mpType: number; readonly body: Buffer };

export type MultipartReplyBody =
  | { readonly kind: 'desc'; readonly desc: SwitchDesc }
  | { readonly kind: 'flow'; readonly flows: readonly FlowStats[] }
  | { readonly kind: 'group_desc'; readonly groups: readonly GroupDesc[] }
  | { readonly kind: 'port_desc'; readonly ports: readonly PortDesc[] }
  | { readonly kind: 'unknown'; readonly mpType: number; readonly body: Buffer };

export type BundleControlType =
  | 'open_request'
  | 'open_reply'
  | 'close_request'
  | 'close_reply'
  | 'commit_request'
  | 'commit_reply'
  | 'discard_request'
  | 'discard_reply';

export interface BundleFlags {
  /** All messages apply or none do. */
  readonly atomic?: boolean;
  /** Messages apply in the order they were added. */
  readonly ordered?: boolean;
}

export type Role = 'nochange' | 'equal' | 'master' | 'slave';

export type OpenFlowMessage =
  | { readonly type: 'hello'; readonly versions: readonly number[] }
  | {
      readonly type: 'error';
      readonly errorType: number;
      readonly code: number;
      /** Set for OFPET_EXPERIMENTER errors (Nicira, ONF). */
      readonly experimenter?: number;
      /** Usually the first bytes of the request that failed. */
      readonly data: Buffer;
    }
  | { readonly type: 'echo_request'; readonly data: Buffer }
  | { readonly type: 'echo_reply'; readonly data: Buffer }
  | { readonly type: 'features_request' }
  | {
      readonly type: 'features_reply';
      readonly datapathId: bigint;
      readonly nBuffers: number;
      readonly nTables: number;
      readonly auxiliaryId: number;
      readonly capabilities: number;
    }
  | { readonly type: 'get_config_request' }
  | { readonly type: 'get_config_reply'; readonly flags: number; readonly missSendLen: number }
  | { readonly type: 'set_config'; readonly flags: number; readonly missSendLen: number }
  | PacketIn
  | {
      readonly type: 'flow_removed';
      readonly cookie: bigint;
      readonly priority: number;
      readonly reason: number;
      readonly tableId: number;
      readonly durationSec: number;
      readonly durationNsec: number;
      readonly idleTimeout: number;
      readonly hardTimeout: number;
      readonly packetCount: bigint;
      readonly byteCount: bigint;
      readonly match: Match;
    }
  | { readonly type: 'port_status'; readonly reason: 'add' | 'delete' | 'modify'; readonly port: PortDesc }
  | PacketOut
  | FlowMod
  | GroupMod
  | { readonly type: 'multipart_request'; readonly more: boolean; readonly body: MultipartRequestBody }
  | { readonly type: 'multipart_reply'; readonly more: boolean; readonly body: MultipartReplyBody }
  | { readonly type: 'barrier_request' }
  | { readonly type: 'barrier_reply' }
  | { readonly type: 'role_request'; readonly role: Role; readonly generationId: bigint }
  | { readonly type: 'role_reply'; readonly role: Role; readonly generationId: bigint }
  | {
      readonly type: 'bundle_control';
      readonly bundleId: number;
      readonly controlType: BundleControlType;
      readonly flags: BundleFlags;
    }
  | {
      readonly type: 'bundle_add';
      readonly bundleId: number;
      readonly flags: BundleFlags;
      /** The message to add. It is encoded with the bundle_add's own xid, as the spec requires. */
      readonly message: OpenFlowMessage;
    }
  | {
      readonly type: 'nx_set_packet_in_format';
      readonly format: 'standard' | 'nxt_packet_in' | 'nxt_packet_in2';
    }
  | { readonly type: 'nx_set_controller_id'; readonly controllerId: number }
  | NxPacketIn2
  | NxResume
  | {
      readonly type: 'unknown';
      readonly msgType: number;
      /** For OFPT_EXPERIMENTER messages this library does not know. */
      readonly experimenter?: number;
      readonly expType?: number;
      readonly body: Buffer;
    };

export type MessageType = OpenFlowMessage['type'];

/** A message with its header fields, as read from or written to a connection. */
export interface Envelope<M extends OpenFlowMessage = OpenFlowMessage> {
  readonly version: number;
  readonly xid: number;
  readonly message: M;
}
