// `weir demo`: checks the machine, runs the scenario, prints what happened and whether it worked.
import { labPrerequisites, missingLabPrerequisites } from '@weir/lab';
import { runSingleSwitchDemo } from '../demo/single-switch.js';

export async function runDemo(options: { json: boolean }): Promise<number> {
  const missing = missingLabPrerequisites([...labPrerequisites, 'busybox', 'ethtool', 'ping']);
  if (missing.length > 0) {
    console.error(`weir demo needs: ${missing.join(', ')} (run: sudo bash scripts/setup.sh)`);
    return 2;
  }
  const log = options.json ? undefined : (line: string): void => console.log(line);
  log?.('weir demo: one Open vSwitch, two hosts, a controller answering DHCP/ARP/ICMP for the gateway');
  const result = await runSingleSwitchDemo(log ? { log } : {});
  const ok =
    result.leases.length === 2 &&
    result.leases.every((l) => l.ip !== '') &&
    result.hostToHost.received > 0 &&
    result.hostToGateway.received > 0;
  if (options.json) {
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
