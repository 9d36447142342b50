// The demo's one-switch topology: two hosts on one logical segment behind br-int, and a
// gateway address that only the controller answers for (ARP, ICMP echo, DHCP server).
export interface DemoHostSpec {
  readonly name: string;
  readonly mac: string;
  readonly ip: string;
  readonly ofport: number;
}

export interface DemoTopology {
  readonly subnet: string;
  readonly prefixLength: number;
  readonly gatewayIp: string;
  readonly gatewayMac: string;
  readonly mtu: number;
  readonly leaseSeconds: number;
  readonly hosts: readonly DemoHostSpec[];
}

// Addresses from TEST-NET-3 (RFC 5737) and locally administered MACs: nothing real is touched.
export const DEMO_TOPOLOGY: DemoTopology = {
  subnet: '203.0.113.0',
  prefixLength: 24,
  gatewayIp: '203.0.113.1',
  gatewayMac: '02:00:cb:00:71:01',
  mtu: 1450,
  leaseSeconds: 3600,
  hosts: [
    { name: 'vm1', mac: '02:00:cb:00:71:0b', ip: '203.0.113.11', ofport: 1 },
    { name: 'vm2', mac: '02:00:cb:00:71:0c', ip: '203.0.113.12', ofport: 2 },
  ],
};
