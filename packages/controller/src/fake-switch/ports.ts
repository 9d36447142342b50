// The switch's OpenFlow ports (what port_desc reports and port_status announces). A port is
// live unless a test takes its link down; the tracer drops output to missing or dead ports as
// OVS does, and fast-failover groups watch liveness.
import { OFPP, type PortDesc } from '@weir/openflow';

const OFPPC_PORT_DOWN = 1;
const OFPPS_LINK_DOWN = 1;
const OFPPS_LIVE = 4;

/** A locally administered MAC derived from the port number. */
function defaultMac(portNo: number): string {
  const b = [
    0x02,
    0x00,
    (portNo >>> 24) & 0xff,
    (portNo >>> 16) & 0xff,
    (portNo >>> 8) & 0xff,
    portNo & 0xff,
  ];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

function describe(portNo: number, name: string, hwAddr: string, live: boolean): PortDesc {
  return {
    portNo,
    hwAddr,
    name,
    config: live ? 0 : OFPPC_PORT_DOWN,
    state: live ? OFPPS_LIVE : OFPPS_LINK_DOWN,
    curr: 0,
    advertised: 0,
    supported: 0,
    peer: 0,
    currSpeed: 0,
    maxSpeed: 0,
  };
}

export class PortTable {
  private readonly ports = new Map<number, PortDesc>();

  /** Adds (or replaces) a port; returns its description. */
  add(portNo: number, name: string, mac?: string): PortDesc {
    if (!Number.isInteger(portNo) || portNo < 1 || (portNo >= 0xff00 && portNo !== OFPP.LOCAL))
      throw new RangeError(`port number ${portNo} is not 1..65279 or LOCAL`);
    if (Buffer.byteLength(name) > 15) throw new RangeError(`port name "${name}" is longer than 15 bytes`);
    const p = describe(portNo, name, mac ?? defaultMac(portNo), true);
    this.ports.set(portNo, p);
    return p;
  }

  remove(portNo: number): PortDesc | undefined {
    const p = this.ports.get(portNo);
    this.ports.delete(portNo);
    return p;
  }

  /** Takes a port's link up or down; returns the new description. */
  setLive(portNo: number, live: boolean): PortDesc {
    const p = this.ports.get(portNo);
    if (!p) throw new RangeError(`no port ${portNo}`);
    const q = describe(p.portNo, p.name, p.hwAddr, live);
    this.ports.set(portNo, q);
    return q;
  }

  get(portNo: number): PortDesc | undefined {
    return this.ports.get(portNo);
  }

  isLive(portNo: number): boolean {
    const p = this.ports.get(portNo);
    return p !== undefined && (p.state & OFPPS_LIVE) !== 0;
  }

  all(): PortDesc[] {
    return [...this.ports.values()].sort((a, b) => a.portNo - b.portNo);
  }
}
