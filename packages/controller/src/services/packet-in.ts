// Packet-ins: the switch sends a packet to the controller when a flow says so (a DHCP request, a
// TTL expiry, later a health probe). Every one is external input, so it is validated here before
// any app sees it:
//   - rate-limited per source (the port key in SrcPortKeyField, else in_port): a VM that floods
//     DHCP requests cannot starve the others or the controller's event loop;
//   - decoded with @weir/packet; a frame that does not decode is counted and dropped (never
//     thrown past this point);
//   - handed to the app named by the flow's cookie (the app that asked for the packet-in), whose
//     handler returns the messages to send (packet-outs) — apps stay free of sockets.
import { decodeFrame, type Frame } from '@weir/packet';
import type { Envelope, OpenFlowMessage, PacketIn } from '@weir/openflow';
import type { AppName } from '../pipeline/apps.js';
import { parseCookie } from '../pipeline/cookies.js';
import { SrcPortKeyField } from '../pipeline/registers.js';

export interface PacketInContext {
  /** The packet's metadata when it left the pipeline (in_port, registers…). */
  readonly metadata: PacketIn['match'];
  readonly inPort: number | undefined;
  /** SrcPortKeyField, when the classifier had set it. */
  readonly srcPortKey: number | undefined;
  readonly tableId: number;
  readonly userdata: Buffer | undefined;
}

export type PacketInHandler = (frame: Frame, context: PacketInContext) => readonly OpenFlowMessage[];

export interface PacketInOptions {
  /** Sustained packet-ins per second per source. Default 100. */
  readonly ratePerSource?: number;
  /** Burst allowed per source. Default 200. */
  readonly burst?: number;
  /** Injectable clock (ms) for tests. */
  readonly now?: () => number;
}

export interface PacketInStats {
  received: number;
  malformed: number;
  rateLimited: number;
  unhandled: number;
  answered: number;
  handlerErrors: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** At most this many sources are tracked; the least recently seen are forgotten first. */
const MAX_SOURCES = 10_000;

export class PacketInDispatcher {
  private readonly handlers = new Map<AppName, PacketInHandler>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly rate: number;
  private readonly burst: number;
  private readonly now: () => number;
  readonly stats: PacketInStats = {
    received: 0,
    malformed: 0,
    rateLimited: 0,
    unhandled: 0,
    answered: 0,
    handlerErrors: 0,
  };

  constructor(options: PacketInOptions = {}) {
    this.rate = options.ratePerSource ?? 100;
    this.burst = options.burst ?? 200;
    this.now = options.now ?? (() => performance.now());
  }

  register(app: AppName, handler: PacketInHandler): void {
    this.handlers.set(app, handler);
  }

  /** Handles one message from the switch; returns what to send back (possibly nothing). */
  handle(env: Envelope): readonly OpenFlowMessage[] {
    const m = env.message;
    if (m.type !== 'packet_in' && m.type !== 'nx_packet_in2') return [];
    this.stats.received++;
    const metadata = m.type === 'packet_in' ? m.match : m.metadata;
    const context: PacketInContext = {
      metadata,
      inPort: numberField(metadata, 'in_port'),
      srcPortKey: numberField(metadata, SrcPortKeyField.register),
      tableId: m.tableId,
      userdata: m.type === 'nx_packet_in2' ? m.userdata : undefined,
    };
    if (!this.admit(context)) {
      this.stats.rateLimited++;
      return [];
    }
    let frame: Frame;
    try {
      frame = decodeFrame(m.data);
    } catch {
      this.stats.malformed++;
      return [];
    }
    const app = parseCookie(m.cookie)?.app;
    const handler = app === undefined ? undefined : this.handlers.get(app);
    if (handler === undefined) {
      this.stats.unhandled++;
      return [];
    }
    try {
      const replies = handler(frame, context);
      if (replies.length > 0) this.stats.answered++;
      return replies;
    } catch {
      // A handler bug must not take the controller down with it; the packet is dropped.
      this.stats.handlerErrors++;
      return [];
    }
  }

  /** Token bucket per source. */
  private admit(context: PacketInContext): boolean {
    const key = context.srcPortKey ? `k${context.srcPortKey}` : `p${context.inPort ?? 0}`;
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= MAX_SOURCES) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
      bucket = { tokens: this.burst, at: now };
    } else {
      // Re-inserted below, so the map's order is least recently seen first.
      this.buckets.delete(key);
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
      bucket.at = now;
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens--;
    return true;
  }
}

function numberField(match: PacketIn['match'], field: string): number | undefined {
  const entry = match.find((e) => e.field === field);
  const value = entry === undefined || !('value' in entry) ? undefined : entry.value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}
