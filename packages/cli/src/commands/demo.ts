// `weir demo`: checks the machine, runs the scenario, prints what happened and whether it worked.
// Default: the three-node lab (API, controllers, real packets across Geneve and VXLAN, a hitless
// controller restart). `--single-switch`: the W1 scenario (one OVS, DHCP/ARP/ICMP answered by a
// packet-in responder).
import { labPrerequisites, missingLabPrerequisites } from '@weir/lab';
import { runLabDemo } from '../demo/lab-demo.js';
import { runSingleSwitchDemo } from '../demo/single-switch.js';

export async function runDemo(options: { json: boolean; singleSwitch?: boolean }): Promise<number> {
  const missing = missingLabPrerequisites([...labPrerequisites, 'busybox', 'ethtool', 'ping']);
  if (missing.length > 0) {
    console.error(`weir demo needs: ${missing.join(', ')} (run: sudo bash scripts/setup.sh)`);
    return 2;
  }
  if (options.singleSwitch === true) return singleSwitch(options.json);
  const log = options.json ? undefined : (line: string): void => console.log(line);
  log?.('weir demo: three nodes on this machine, the Neutron API, a Weir controller per node, real packets');
  const result = await runLabDemo(log ? { log } : {});
  if (options.json) console.log(JSON.stringify(result, null, 2));
  else
    console.log(
      result.ok
        ? '\ndemo OK: every packet above crossed real Open vSwitch datapaths and Geneve/VXLAN tunnels between namespaces.'
        : '\ndemo FAILED (see the lines above)',
    );
  return result.ok ? 0 : 1;
}

async function singleSwitch(json: boolean): Promise<number> {
  const log = json ? undefined : (line: string): void => console.log(line);
  log?.(
    'weir demo --single-switch: one Open vSwitch, two hosts, a controller answering DHCP/ARP/ICMP for the gateway',
  );
  const result = await runSingleSwitchDemo(log ? { log } : {});
  const ok =
    result.leases.length === 2 &&
    result.leases.every((l) => l.ip !== '') &&
    result.hostToHost.received > 0 &&
    result.hostToGateway.received > 0;
  if (json) {
    console.log(JSON.stringify({ ok, ...result }, null, 2));
  } else {
    console.log('\nflows (cookie 0xde3…, as ovs-ofctl dump-flows prints them):');
    for (const f of result.flows) console.log(`  ${f}`);
    console.log(
      `\ncontroller answered: ${Object.entries(result.answered)
        .map(([k, v]) => `${k}×${v}`)
        .join(', ')}`,
    );
    console.log(ok ? '\ndemo OK: everything above crossed a real Open vSwitch datapath.' : '\ndemo FAILED');
  }
  return ok ? 0 : 1;
}
