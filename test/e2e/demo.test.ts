// End to end on one real Open vSwitch: real DHCP clients accept the OFFER/ACK our packet library
// builds, real ARP/ICMP stacks accept our replies, hosts reach each other through flows our
// OpenFlow library installed, and nothing is left behind afterwards.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runLabDemo, runSingleSwitchDemo, DEMO_TOPOLOGY } from '@weir/cli';
import { run } from '@weir/lab';

async function labNamespaces(name: string): Promise<string[]> {
  return (await run('ip', ['netns', 'list']))
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(`wl-${name}-`));
}

describe('one-switch scenario (weir demo)', () => {
  it('leases addresses over DHCP, answers ARP and ping for the gateway, forwards host to host', async () => {
    const name = `e2e${process.pid}`;
    const result = await runSingleSwitchDemo({ name });
    for (const h of DEMO_TOPOLOGY.hosts) {
      const lease = result.leases.find((l) => l.host === h.name);
      assert.equal(lease?.ip, h.ip, `${h.name} leased its address from our DHCP responder`);
      assert.equal(lease?.mask, '24', 'subnet mask option (udhcpc reports the prefix length)');
      assert.equal(lease?.router, DEMO_TOPOLOGY.gatewayIp);
      assert.equal(lease?.mtu, String(DEMO_TOPOLOGY.mtu));
      assert.equal(lease?.serverId, DEMO_TOPOLOGY.gatewayIp);
    }
    // At least one each: udhcpc asks again after 1 s (-T 1), so a slow OFFER is answered twice.
    assert.ok((result.answered['dhcp-offer'] ?? 0) >= 2);
    assert.ok((result.answered['dhcp-ack'] ?? 0) >= 2);
    assert.equal(result.hostToHost.received, result.hostToHost.transmitted);
    assert.ok(result.hostToHost.received >= 5);
    assert.equal(result.hostToGateway.received, 3, 'the gateway (the controller) answered every ping');
    assert.ok(
      (result.answered['arp-reply'] ?? 0) >= 1,
      'the host resolved the gateway through our ARP reply',
    );
    assert.equal(result.packetInErrors, 0);
    // Anti-spoofing and L2 flows carried the traffic: their counters moved.
    const l2 = result.flows.filter((f) => f.includes('table=1') && f.includes('dl_dst=02:'));
    assert.ok(
      l2.every((f) => !f.includes('n_packets=0,')),
      l2.join('\n'),
    );
    assert.deepEqual(await labNamespaces(name), [], 'no namespace left behind');
  });
});

describe('weir demo (three-node lab)', () => {
  it('pings across nodes on Geneve and VXLAN, isolates equal CIDRs, drops a forged source, restarts a controller without loss', async () => {
    const name = `ld${process.pid % 10000}`;
    const result = await runLabDemo({ name });
    assert.ok(result.pings.length >= 8);
    for (const p of result.pings) assert.equal(p.received, p.sent, `${p.from} -> ${p.to}`);
    assert.equal(result.isolated, true);
    assert.equal(result.spoofDropped, true);
    assert.equal(result.restart.received, result.restart.sent);
    assert.ok(result.restart.sent >= 100);
    assert.equal(result.restart.generation, 2);
    assert.equal(result.ok, true);
    assert.deepEqual(await labNamespaces(name), [], 'the demo removed its namespaces');
  });
});
