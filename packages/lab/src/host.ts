// A lab host: a network namespace with one NIC (eth0) whose other end sits in an OVS instance's
// namespace, ready to be plugged into a bridge (the way Nova/os-vif or a CNI plugin would).
// It stands in for a VM or a pod. The instance records the namespace, so stopping (or reaping)
// the instance removes the host too — also when the host was made by another process through an
// attached handle (OvsInstance.attach): the record lives under the owner's run directory.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UDHCPC_SCRIPT } from './udhcpc-script.js';
import { CommandError, run } from './exec.js';
import { readSteadyPing } from './steady-ping.js';
import { deleteNamespace } from './netns.js';
import { LAB_NETNS_PREFIX, type OvsInstance } from './ovs-instance.js';

export interface HostOptions {
  /** Short name (letters, digits, dashes); the namespace is `wl-<instance>-<name>`. */
  readonly name: string;
  readonly mac: string;
  /** Name of the NIC's peer inside the OVS namespace (≤ 15 characters); default `v<name>`. */
  readonly portName?: string;
  readonly mtu?: number;
}

export interface DhcpLeaseInfo {
  readonly ip: string;
  readonly mask: string;
  readonly router: string;
  readonly mtu: string;
  readonly serverId: string;
}

export interface PingResult {
  /** Probes that count: sequence numbers 1..count (ping may send more while it waits). */
  readonly transmitted: number;
  /** How many of them got a reply. */
  readonly received: number;
  /** Average round-trip time in ms, when any reply came back. */
  readonly avgRttMs: number | undefined;
}

export class LabHost {
  private constructor(
    readonly ovs: OvsInstance,
    readonly name: string,
    readonly netns: string,
    readonly mac: string,
    readonly portName: string,
  ) {}

  static async create(ovs: OvsInstance, options: HostOptions): Promise<LabHost> {
    const netns = hostNamespace(ovs, options.name);
    const portName = options.portName ?? `v${options.name}`;
    if (portName.length > 15) throw new Error(`port name ${portName} is longer than 15 characters`);
    // Recorded before creation, so a crash from here on is cleaned up with the instance.
    const registry = join(ovs.rundir, 'hosts');
    mkdirSync(registry, { recursive: true });
    writeFileSync(join(registry, netns), `${portName}\n${options.mac}\n`);
    const host = new LabHost(ovs, options.name, netns, options.mac, portName);
    try {
      await run('ip', ['netns', 'add', netns]);
      await run('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
      await run('ip', ['netns', 'exec', netns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1']);
      await run('ip', ['netns', 'exec', netns, 'sysctl', '-qw', 'net.ipv6.conf.default.disable_ipv6=1']);
      await run('ip', [
        'link',
        'add',
        'eth0',
        'netns',
        netns,
        'type',
        'veth',
        'peer',
        'name',
        portName,
        'netns',
        ovs.netns,
      ]);
      await run('ip', [
        '-n',
        netns,
        'link',
        'set',
        'eth0',
        'address',
        options.mac,
        'mtu',
        String(options.mtu ?? 1500),
        'up',
      ]);
      // veth TX checksum offload leaves TCP/UDP checksums partial; the userspace datapath forwards
      // them unfixed and receivers drop them (../shared/lab/README.md, pitfall 2).
      await run('ip', ['netns', 'exec', netns, 'ethtool', '-K', 'eth0', 'tx', 'off']);
      // Both ends: a veth drops frames larger than its peer's MTU, so a jumbo host behind a
      // 1500-byte peer would lose everything above 1500 on the way into OVS.
      await run('ip', ['-n', ovs.netns, 'link', 'set', portName, 'mtu', String(options.mtu ?? 1500), 'up']);
    } catch (error) {
      await host.remove();
      throw error;
    }
    return host;
  }

  /** A handle on a host created earlier (possibly by another process) on this instance. */
  static attach(ovs: OvsInstance, name: string): LabHost {
    const netns = hostNamespace(ovs, name);
    let record: string[];
    try {
      record = readFileSync(join(ovs.rundir, 'hosts', netns), 'utf8').split('\n');
    } catch {
      throw new Error(`no host ${name} on OVS instance ${ovs.name}`);
    }
    const [portName = `v${name}`, mac = ''] = record;
    return new LabHost(ovs, name, netns, mac, portName);
  }

  /**
   * Removes the host named `name` from `ovs` (its namespace, NIC and record). Returns false when
   * there was no such host. The port on the OVS side, if someone added it to a bridge, stays in
   * the database (with no device) for whoever added it to delete.
   */
  static async removeByName(ovs: OvsInstance, name: string): Promise<boolean> {
    const netns = hostNamespace(ovs, name);
    const recorded = existsSync(join(ovs.rundir, 'hosts', netns));
    if (!recorded && !existsSync(`/run/netns/${netns}`)) return false;
    await removeHostNamespace(ovs.rundir, netns);
    return true;
  }

  /** Runs a command inside the host's namespace. */
  exec(command: string, args: readonly string[], timeoutMs = 30_000): Promise<string> {
    return run('ip', ['netns', 'exec', this.netns, command, ...args], { timeoutMs });
  }

  /** Obtains an address with busybox udhcpc (a real DHCP client) and applies it to eth0. */
  async dhcp(timeoutSeconds = 5): Promise<DhcpLeaseInfo> {
    const script = join(this.ovs.rundir, 'udhcpc.script');
    if (!existsSync(script)) {
      writeFileSync(script, UDHCPC_SCRIPT, { mode: 0o755 });
    }
    const out = await this.exec(
      'busybox',
      ['udhcpc', '-i', 'eth0', '-f', '-q', '-n', '-t', String(timeoutSeconds), '-T', '1', '-s', script],
      (timeoutSeconds + 5) * 1000,
    );
    const line = out.split('\n').find((l) => l.startsWith('LEASE '));
    if (!line) throw new Error(`udhcpc in ${this.netns} got no lease:\n${out}`);
    const field = (k: string): string => new RegExp(`${k}=(\\S*)`).exec(line)?.[1] ?? '';
    return {
      ip: field('ip'),
      mask: field('mask'),
      router: field('router'),
      mtu: field('mtu'),
      serverId: field('serverid'),
    };
  }

  async addAddress(cidr: string): Promise<void> {
    await run('ip', ['-n', this.netns, 'addr', 'replace', cidr, 'dev', 'eth0']);
  }

  /**
   * Real ICMP echo with iputils ping; never throws for lost packets. `-w` makes ping wait for
   * `count` replies (sending more probes if some are lost) until the deadline, so replies are
   * counted per sequence number 1..count: a slow reply is not a lost one (see steady-ping.ts).
   */
  async ping(destination: string, count = 3, deadlineSeconds = 5): Promise<PingResult> {
    let out: string;
    try {
      out = await this.exec(
        'ping',
        ['-n', '-c', String(count), '-i', '0.2', '-W', '1', '-w', String(deadlineSeconds), destination],
        (deadlineSeconds + 5) * 1000,
      );
    } catch (error) {
      out = error instanceof CommandError ? error.stdout : '';
    }
    const replies = readSteadyPing(out, count);
    const rtt = /= [\d.]+\/([\d.]+)\//.exec(out);
    return {
      transmitted: count,
      received: replies.answered,
      avgRttMs: rtt ? Number(rtt[1]) : undefined,
    };
  }

  async remove(): Promise<void> {
    await removeHostNamespace(this.ovs.rundir, this.netns);
  }
}

function hostNamespace(ovs: OvsInstance, name: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,20}$/i.test(name)) throw new Error(`invalid host name ${name}`);
  return `${LAB_NETNS_PREFIX}${ovs.name}-${name}`;
}

/** Deletes a host namespace recorded under `<rundir>/hosts` (processes inside it are killed). */
export async function removeHostNamespace(rundir: string, netns: string): Promise<void> {
  await deleteNamespace(netns);
  rmSync(join(rundir, 'hosts', netns), { force: true });
}
