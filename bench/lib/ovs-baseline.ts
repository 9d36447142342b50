// What ovs-vswitchd alone takes to install a set of flows: a fresh OVS instance (userspace
// datapath, --enable-dummy), br-int with `ports` dummy ports, the groups, then the flows by
// `ovs-ofctl --bundle add-flows` — timed. The baseline that the controller's convergence is
// compared with in the same run.
import { OvsInstance } from '@weir/lab';

export async function ovsInstallBaseline(
  dump: string,
  ports: number,
): Promise<{ flows: number; ports: number; seconds: number }> {
  const ovs = await OvsInstance.start({
    name: `base${process.pid % 10000}`,
    vswitchdArgs: ['--enable-dummy'],
  });
  try {
    await ovs.vsctl([
      ...['add-br', 'br-int', '--', 'set', 'bridge', 'br-int', 'datapath_type=netdev'],
      ...['fail_mode=secure', 'protocols=OpenFlow13'],
    ]);
    for (let base = 0; base < ports; base += 500) {
      const args: string[] = ['--no-wait'];
      for (let i = base; i < Math.min(ports, base + 500); i++)
        args.push('--', 'add-port', 'br-int', `d${i}`, '--', 'set', 'interface', `d${i}`, 'type=dummy');
      await ovs.vsctl(args);
    }
    // Wait until ovs-vswitchd has really created every port (a write without --no-wait returns
    // once it has applied the database): the flows must meet a bridge of that size.
    await ovs.vsctl(['--timeout=600', 'set', 'bridge', 'br-int', 'external_ids:weir-baseline=ready']);
    const flows = dump
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('cookie='));
    // Groups the flows use, empty (their buckets do not matter to the install cost).
    const groups = [...new Set(flows.flatMap((l) => [...l.matchAll(/group:(\d+)/g)].map((m) => m[1])))].map(
      (id) => `group_id=${id},type=all`,
    );
    if (groups.length > 0) await ovs.ofctl('br-int', 'add-groups', ['-'], { input: groups.join('\n') });
    const started = performance.now();
    await ovs.ofctl('br-int', 'add-flows', ['-'], { flags: ['--bundle'], input: flows.join('\n') });
    return { flows: flows.length, ports, seconds: (performance.now() - started) / 1000 };
  } finally {
    await ovs.stop();
  }
}
