// A fake OpenFlow 1.3 switch for tests and benchmarks: speaks real OpenFlow bytes to an
// OpenFlowConnection over an in-memory stream, models flow and group tables as ovs-vswitchd
// does, and traces packets. Imports only @weir/openflow and node built-ins (see README.md).
export { FakeSwitch, type FakeSwitchOptions } from './fake-switch.js';
export { makePacket, type Packet, type PacketDescription } from './trace/packet.js';
export { formatTrace, type TraceTextOptions } from './trace/format.js';
export type * from './trace/types.js';
export type { DatapathCounters } from './datapath.js';
