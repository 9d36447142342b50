// ONF bundles (OpenFlow 1.3 extension 230) on one connection, as ovs-vswitchd handles them:
//  - open: a second open of an id that is open refuses (OFPBFC_BAD_ID) and drops the bundle;
//  - add: opens the bundle implicitly if needed; only flow-mods, group-mods and packet-outs may
//    be bundled (else OFPBFC_MSG_UNSUP); a message that fails the receipt checks is refused now,
//    against the bundle_add's xid, and left out — the bundle still commits without it; adding to
//    a closed bundle (OFPBFC_BUNDLE_CLOSED) or with other flags (OFPBFC_BAD_FLAGS) drops it;
//  - commit: applies every message in order, atomically. A message refused then (a missing
//    group, an existing group id, an overlap…) gets its error against its own xid, the commit
//    gets OFPBFC_MSG_FAILED, and the tables are as before the commit;
//  - close, discard; an unknown id is OFPBFC_BAD_ID. Bundles die with their connection.
import type { BundleFlags, OpenFlowMessage, PacketOut } from '@weir/openflow';
import { BatchRefusal, type CheckedMod, type Datapath, type Removal } from './datapath.js';
import { Refusal, type OfErrorName } from './errors.js';

interface BundleEntry {
  readonly xid: number;
  /** The bundle_add message as received: an error quotes it. */
  readonly raw: Buffer;
  readonly mod: CheckedMod | undefined;
  readonly packetOut: PacketOut | undefined;
}

interface Bundle {
  readonly flags: BundleFlags;
  closed: boolean;
  readonly entries: BundleEntry[];
}

/** What a bundle needs from its connection. */
export interface BundleHost {
  readonly datapath: Datapath;
  send(message: OpenFlowMessage, xid: number): void;
  refuse(error: OfErrorName, xid: number, request: Buffer): void;
  removed(removals: Removal[]): void;
  /** Runs a packet-out that was bundled (at commit). */
  packetOut(message: PacketOut): void;
  /** The receipt checks of a packet-out; throws Refusal. */
  checkPacketOut(message: PacketOut): void;
}

const sameFlags = (a: BundleFlags, b: BundleFlags): boolean =>
  (a.atomic === true) === (b.atomic === true) && (a.ordered === true) === (b.ordered === true);

export class Bundles {
  private readonly bundles = new Map<number, Bundle>();

  constructor(private readonly host: BundleHost) {}

  control(m: Extract<OpenFlowMessage, { type: 'bundle_control' }>, xid: number, raw: Buffer): void {
    const reply = (controlType: 'open_reply' | 'close_reply' | 'commit_reply' | 'discard_reply'): void =>
      this.host.send({ type: 'bundle_control', bundleId: m.bundleId, controlType, flags: m.flags }, xid);
    const bundle = this.bundles.get(m.bundleId);
    switch (m.controlType) {
      case 'open_request':
        if (bundle) {
          this.bundles.delete(m.bundleId);
          return this.host.refuse('OFPBFC_BAD_ID', xid, raw);
        }
        this.bundles.set(m.bundleId, { flags: m.flags, closed: false, entries: [] });
        return reply('open_reply');
      case 'close_request':
        if (!bundle) return this.host.refuse('OFPBFC_BAD_ID', xid, raw);
        if (bundle.closed || !sameFlags(bundle.flags, m.flags)) {
          this.bundles.delete(m.bundleId);
          return this.host.refuse(bundle.closed ? 'OFPBFC_BUNDLE_CLOSED' : 'OFPBFC_BAD_FLAGS', xid, raw);
        }
        bundle.closed = true;
        return reply('close_reply');
      case 'commit_request':
        if (!bundle) return this.host.refuse('OFPBFC_BAD_ID', xid, raw);
        this.bundles.delete(m.bundleId);
        if (!sameFlags(bundle.flags, m.flags)) return this.host.refuse('OFPBFC_BAD_FLAGS', xid, raw);
        if (this.commit(bundle)) reply('commit_reply');
        else this.host.refuse('OFPBFC_MSG_FAILED', xid, raw);
        return;
      case 'discard_request':
        if (!bundle) return this.host.refuse('OFPBFC_BAD_ID', xid, raw);
        this.bundles.delete(m.bundleId);
        return reply('discard_reply');
      default:
        // A reply type sent to a switch.
        return this.host.refuse('OFPBFC_BAD_TYPE', xid, raw);
    }
  }

  add(m: Extract<OpenFlowMessage, { type: 'bundle_add' }>, xid: number, raw: Buffer): void {
    let bundle = this.bundles.get(m.bundleId);
    if (!bundle) {
      bundle = { flags: m.flags, closed: false, entries: [] };
      this.bundles.set(m.bundleId, bundle);
    } else if (bundle.closed || !sameFlags(bundle.flags, m.flags)) {
      this.bundles.delete(m.bundleId);
      return this.host.refuse(bundle.closed ? 'OFPBFC_BUNDLE_CLOSED' : 'OFPBFC_BAD_FLAGS', xid, raw);
    }
    const inner = m.message;
    try {
      if (inner.type === 'flow_mod' || inner.type === 'group_mod') {
        bundle.entries.push({ xid, raw, mod: this.host.datapath.check(inner), packetOut: undefined });
      } else if (inner.type === 'packet_out') {
        this.host.checkPacketOut(inner);
        bundle.entries.push({ xid, raw, mod: undefined, packetOut: inner });
      } else {
        this.host.refuse('OFPBFC_MSG_UNSUP', xid, raw);
      }
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      this.host.refuse(error.error, xid, raw);
    }
  }

  /** Applies a bundle; returns false (after reporting the refused message) if it was refused. */
  private commit(bundle: Bundle): boolean {
    const mods: CheckedMod[] = [];
    const modEntries: BundleEntry[] = [];
    for (const e of bundle.entries) {
      if (e.mod) {
        mods.push(e.mod);
        modEntries.push(e);
      }
    }
    let removed: Removal[];
    try {
      removed = this.host.datapath.applyAll(mods);
    } catch (error) {
      if (!(error instanceof BatchRefusal)) throw error;
      const entry = modEntries[error.index] as BundleEntry;
      this.host.refuse(error.refusal.error, entry.xid, entry.raw);
      return false;
    }
    this.host.removed(removed);
    // Bundled packet-outs run once the tables are in their new state (OVS interleaves them with
    // the flow-mods; nothing Weir does can tell the difference).
    for (const e of bundle.entries) if (e.packetOut) this.host.packetOut(e.packetOut);
    return true;
  }

  /** The connection closed: open bundles are discarded. */
  clear(): void {
    this.bundles.clear();
  }
}
