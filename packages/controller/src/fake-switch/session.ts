// One controller connection, served as ovs-vswitchd serves it: the byte stream is cut into
// messages by @weir/openflow's MessageFramer and decoded with decodeMessage, exactly as on a
// socket; every request gets OVS's reply or OVS's error (numbers and timing checked against a
// real ovs-vswitchd 3.1). Nothing a controller sends can throw out of here: a message that does
// not decode, or a bug in the fake, becomes an OpenFlow error on the wire.
import type { Duplex } from 'node:stream';
import {
  MessageFramer,
  NX_VENDOR_ID,
  OFP13_VERSION,
  OFP_NO_BUFFER,
  OFPP,
  ONF_VENDOR_ID,
  OpenFlowError,
  decodeMessage,
  encodeMessage,
  type Envelope,
  type OpenFlowMessage,
  type PacketOut,
  type Role,
} from '@weir/openflow';
import { Bundles } from './bundles.js';
import type { Datapath, Removal } from './datapath.js';
import { Refusal, errorMessage, type OfErrorName } from './errors.js';
import { multipartReply, type MultipartHost } from './multipart.js';
import type { RoleArbiter, RoleHolder } from './roles.js';
import { checkActions } from './validate.js';

/** What a connection needs from its switch (a narrow capability, not the whole switch). */
export interface SessionHost extends MultipartHost {
  readonly datapath: Datapath;
  readonly datapathId: bigint;
  readonly nTables: number;
  readonly roles: RoleArbiter;
  received(env: Envelope): void;
  packetOut(message: PacketOut): void;
  removed(removals: Removal[]): void;
  closed(session: Session): void;
  /** A request the fake could not handle (a bug in the fake): answered with OFPBRC_EPERM. */
  fault(error: Error): void;
}

const OFPC_OVS = 0x4f; // flow, table, port, group and queue stats: what OVS advertises
const DEFAULT_MISS_SEND_LEN = 128;
/** Packet-out in_ports OVS accepts besides real port numbers. */
const PACKET_OUT_IN_PORTS: ReadonlySet<number> = new Set([OFPP.CONTROLLER, OFPP.LOCAL, OFPP.ANY]);

/** The receipt checks of a packet-out (also for bundled ones). Throws Refusal. */
export function checkPacketOut(m: PacketOut): void {
  if (m.bufferId !== OFP_NO_BUFFER) throw new Refusal('OFPBRC_BUFFER_UNKNOWN', `buffer ${m.bufferId}`);
  if (m.inPort >= 0xff00 && !PACKET_OUT_IN_PORTS.has(m.inPort))
    throw new Refusal('OFPBAC_BAD_OUT_PORT', `packet-out in_port ${m.inPort}`);
  checkActions(m.actions, undefined);
}

function decodeRefusal(error: unknown): OfErrorName {
  if (!(error instanceof OpenFlowError)) return 'OFPBRC_BAD_LEN';
  if (error.code === 'OF_PROTOCOL') return 'OFPBRC_BAD_VERSION';
  if (error.code === 'OF_UNSUPPORTED') return 'OFPBRC_BAD_TYPE';
  return 'OFPBRC_BAD_LEN';
}

export class Session implements RoleHolder {
  role: Role = 'equal';
  /** Set by set_config, reported by get_config. */
  config = { flags: 0, missSendLen: DEFAULT_MISS_SEND_LEN };
  packetInFormat: 'standard' | 'nxt_packet_in' | 'nxt_packet_in2' = 'standard';
  controllerId = 0;
  private readonly framer = new MessageFramer();
  private readonly bundles: Bundles;
  private helloSeen = false;
  private closed = false;
  /** xids of messages the switch starts (hello, port_status, flow_removed). */
  private xid = 0;

  constructor(
    private readonly end: Duplex,
    private readonly host: SessionHost,
  ) {
    this.bundles = new Bundles({
      datapath: host.datapath,
      send: (m, xid) => this.send(m, xid),
      refuse: (e, xid, raw) => this.refuse(e, xid, raw),
      removed: (r) => host.removed(r),
      packetOut: (m) => host.packetOut(m),
      checkPacketOut,
    });
    end.on('data', (chunk: Buffer) => this.onData(chunk));
    end.on('error', () => this.close());
    end.on('close', () => this.close());
    this.send({ type: 'hello', versions: [OFP13_VERSION] }, this.nextXid());
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  send(message: OpenFlowMessage, xid: number): void {
    if (!this.closed) this.end.write(encodeMessage(message, xid));
  }

  /** An asynchronous message from the switch (port_status, flow_removed, packet-in…). */
  notify(message: OpenFlowMessage): void {
    this.send(message, this.nextXid());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.bundles.clear();
    this.end.destroy();
    this.host.closed(this);
  }

  private nextXid(): number {
    this.xid = (this.xid + 1) >>> 0;
    return this.xid;
  }

  private refuse(error: OfErrorName, xid: number, request: Buffer): void {
    this.send(errorMessage(error, request), xid);
  }

  private onData(chunk: Buffer): void {
    let raws: Buffer[];
    try {
      raws = this.framer.push(chunk);
    } catch {
      // A length below the header size: the stream cannot be resynchronised (OVS drops it too).
      this.close();
      return;
    }
    for (const raw of raws) {
      if (this.closed) return;
      this.onMessage(raw);
    }
  }

  private onMessage(raw: Buffer): void {
    let env: Envelope;
    try {
      env = decodeMessage(raw);
    } catch (error) {
      this.refuse(decodeRefusal(error), raw.readUInt32BE(4), raw);
      return;
    }
    try {
      this.host.received(env);
      this.handle(env, raw);
    } catch (error) {
      if (error instanceof Refusal) return this.refuse(error.error, env.xid, raw);
      this.host.fault(error instanceof Error ? error : new Error(String(error)));
      this.refuse('OFPBRC_EPERM', env.xid, raw);
    }
  }

  private handle(env: Envelope, raw: Buffer): void {
    const { xid, message: m } = env;
    switch (m.type) {
      case 'hello':
        if (this.helloSeen) throw new Refusal('OFPBRC_BAD_TYPE', 'second hello');
        this.helloSeen = true;
        if (m.versions.length > 0 ? !m.versions.includes(OFP13_VERSION) : env.version < OFP13_VERSION) {
          this.refuse('OFPHFC_INCOMPATIBLE', xid, raw);
          this.close();
        }
        return;
      case 'echo_request':
        return this.send({ type: 'echo_reply', data: m.data }, xid);
      case 'echo_reply':
        return;
      case 'features_request':
        return this.send(
          {
            type: 'features_reply',
            datapathId: this.host.datapathId,
            nBuffers: 0,
            nTables: this.host.nTables,
            auxiliaryId: 0,
            capabilities: OFPC_OVS,
          },
          xid,
        );
      case 'get_config_request':
        return this.send({ type: 'get_config_reply', ...this.config }, xid);
      case 'set_config':
        this.config = { flags: m.flags, missSendLen: m.missSendLen };
        return;
      case 'flow_mod':
      case 'group_mod': {
        this.mayWrite();
        const datapath = this.host.datapath;
        this.host.removed(datapath.apply(datapath.check(m)));
        return;
      }
      case 'packet_out':
        this.mayWrite();
        checkPacketOut(m);
        this.host.packetOut(m);
        return;
      case 'multipart_request':
        for (const part of multipartReply(m.body, this.host, xid)) if (!this.closed) this.end.write(part);
        return;
      case 'barrier_request':
        // Everything before it has been processed: the fake handles messages synchronously.
        return this.send({ type: 'barrier_reply' }, xid);
      case 'role_request':
        return this.send(
          { type: 'role_reply', ...this.host.roles.request(this, m.role, m.generationId) },
          xid,
        );
      case 'bundle_control':
        this.mayWrite();
        return this.bundles.control(m, xid, raw);
      case 'bundle_add':
        this.mayWrite();
        return this.bundles.add(m, xid, raw);
      case 'nx_set_packet_in_format':
        this.packetInFormat = m.format;
        return;
      case 'nx_set_controller_id':
        this.controllerId = m.controllerId;
        return;
      case 'nx_resume':
        // The fake never pauses a pipeline, so no continuation can be valid.
        throw new Refusal('NXR_STALE', 'no paused pipeline to resume');
      case 'unknown':
        if (m.experimenter === undefined) throw new Refusal('OFPBRC_BAD_TYPE', `message type ${m.msgType}`);
        if (m.experimenter === NX_VENDOR_ID || m.experimenter === ONF_VENDOR_ID)
          throw new Refusal('OFPBRC_BAD_SUBTYPE', `experimenter subtype ${m.expType ?? 0}`);
        throw new Refusal('OFPBRC_BAD_VENDOR', `experimenter ${m.experimenter}`);
      case 'error':
      case 'features_reply':
      case 'get_config_reply':
      case 'packet_in':
      case 'flow_removed':
      case 'port_status':
      case 'multipart_reply':
      case 'barrier_reply':
      case 'role_reply':
      case 'nx_packet_in2':
        // Switch-to-controller messages: OVS answers these (even an ERROR) with OFPBRC_BAD_TYPE.
        throw new Refusal('OFPBRC_BAD_TYPE', `${m.type} sent to a switch`);
    }
  }

  /** A slave may read but not change the switch. */
  private mayWrite(): void {
    if (this.role === 'slave') throw new Refusal('OFPBRC_IS_SECONDARY', 'the connection is a slave');
  }
}
