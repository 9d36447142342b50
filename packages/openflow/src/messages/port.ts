// struct ofp_port (OpenFlow 1.3 §7.2.1), shared by port-status and port-desc replies.
import type { Reader, Writer } from '../bytes.js';
import { macFromBytes, macToBytes } from '../fields/values.js';
import type { PortDesc } from './types.js';

export const OFP_PORT_LEN = 64;

export function readPort(r: Reader): PortDesc {
  const portNo = r.u32('port_no');
  r.skip(4);
  const hwAddr = macFromBytes(r.bytes(6, 'hw_addr'));
  r.skip(2);
  const name = r.fixedString(16, 'port name');
  return {
    portNo,
    hwAddr,
    name,
    config: r.u32('config'),
    state: r.u32('state'),
    curr: r.u32('curr'),
    advertised: r.u32('advertised'),
    supported: r.u32('supported'),
    peer: r.u32('peer'),
    currSpeed: r.u32('curr_speed'),
    maxSpeed: r.u32('max_speed'),
  };
}

export function writePort(w: Writer, p: PortDesc): void {
  w.u32(p.portNo, 'port_no');
  w.zeros(4);
  w.bytes(macToBytes(p.hwAddr));
  w.zeros(2);
  w.fixedString(p.name, 16, 'port name');
  for (const v of [p.config, p.state, p.curr, p.advertised, p.supported, p.peer, p.currSpeed, p.maxSpeed])
    w.u32(v, 'port property');
}
