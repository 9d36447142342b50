// What a trace reports. Cookies are kept on every step because a controller encodes the owner of
// a flow in its cookie: a failing test can name which object's flow took the packet where.
import type { LearnAction, PacketInReasonName } from '@weir/openflow';
import type { Packet } from './packet.js';

export interface TraceOptions {
  /**
   * ct_state of the packet that ct(table=…) recirculates (default +trk+new). A function can
   * model established connections per zone.
   */
  readonly ctState?: number | ((packet: Packet, zone: number) => number);
  /** Count the packet on the flows it hits, as a real packet would be (default false: like ofproto/trace). */
  readonly count?: boolean;
  /** Packet length for byte counters (default 64). */
  readonly bytes?: number;
}

/** How the tracer reached a table. */
export type TraceVia = 'start' | 'goto_table' | 'resubmit' | 'ct' | 'output_table';

export type TraceStep =
  | {
      readonly tableId: number;
      readonly priority: number;
      readonly cookie: bigint;
      /** Nesting depth (goto_table, resubmit and groups each add one; OVS stops at 64). */
      readonly depth: number;
      readonly via: TraceVia;
      readonly miss?: undefined;
    }
  | { readonly tableId: number; readonly depth: number; readonly via: TraceVia; readonly miss: true };

/** Where an action ran: the table and cookie of its flow (undefined for packet-out actions). */
export interface ActionSite {
  readonly tableId: number | undefined;
  readonly cookie: bigint | undefined;
}

export interface TraceOutput extends ActionSite {
  readonly port: number;
  /** The packet as it leaves, tunnel fields and registers included. */
  readonly packet: Packet;
}

export interface TracePacketIn extends ActionSite {
  readonly reason: PacketInReasonName;
  readonly controllerId: number;
  readonly userdata: Buffer | undefined;
  readonly pause: boolean;
  readonly maxLen: number | undefined;
  readonly packet: Packet;
}

export type DropReason =
  /** The last table the packet reached had no matching flow. */
  | 'no_match'
  /** The pipeline ended without any output or packet-in. */
  | 'no_output'
  /** Output to the packet's own in_port (OpenFlow forbids it unless the port is IN_PORT). */
  | 'in_port'
  | 'no_such_port'
  | 'port_down'
  | 'unknown_group'
  /** An empty group, a select group whose buckets all weigh 0, a fast-failover group with nothing live. */
  | 'no_bucket'
  /** dec_ttl on TTL 0 or 1 (the packet goes to the controller with reason invalid_ttl). */
  | 'ttl_expired'
  /** Translation failed (nesting beyond 64, too many resubmits or recirculations): OVS drops the packet. */
  | 'translation_error';

export interface TraceDrop extends ActionSite {
  readonly reason: DropReason;
  readonly port?: number;
  readonly groupId?: number;
}

export interface TraceLearn extends ActionSite {
  /** Recorded, not applied: the fake never adds learned flows. */
  readonly action: LearnAction;
}

export interface TraceResult {
  readonly outputs: readonly TraceOutput[];
  readonly packetIns: readonly TracePacketIn[];
  /** Every table lookup, in order. */
  readonly path: readonly TraceStep[];
  readonly drops: readonly TraceDrop[];
  readonly learned: readonly TraceLearn[];
  /** Things the fake does not model that the packet met (NAT, NORMAL, raw actions…). */
  readonly notes: readonly string[];
  /** Set when translation failed, as OVS's "Translation failed (…), packet is dropped". */
  readonly error: 'too_deep' | 'too_many_resubmits' | 'too_many_recirculations' | undefined;
  /** The original packet's fields when the pipeline ended. */
  readonly packet: Packet;
  /** No output and no packet-in. */
  readonly dropped: boolean;
}
