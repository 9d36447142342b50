// `weir lab vm add NAME --node nX --port PORT_ID [--dhcp]` / `weir lab vm del NAME`: a VM
// stand-in plugged as Nova and os-vif plug one — a namespace whose NIC has the port's MAC, added
// to the node's br-int with external_ids iface-id / attached-mac / vm-uuid — after setting the
// port's binding:host_id to that node through the Neutron API when it has none (as Nova does).
import { resolve } from 'node:path';
import { LabHost, LabNode } from '@weir/lab';
import { control, errorOf } from './control-client.js';
import { readLabState, type LabState, type LabVm } from './state.js';

export interface VmAddFlags {
  readonly state: string;
  readonly node?: string;
  readonly port?: string;
  readonly dhcp?: boolean;
}

interface NeutronPort {
  readonly id: string;
  readonly network_id: string;
  readonly mac_address: string;
  readonly fixed_ips: readonly { readonly subnet_id: string; readonly ip_address: string }[];
  readonly 'binding:host_id': string;
}

class VmError extends Error {}

async function neutron<T>(state: LabState, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${state.endpoints.network}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }).catch((e: Error) => {
    throw new VmError(`the lab's network API (${state.endpoints.network}) does not answer: ${e.message}`);
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const err = json.NeutronError as { message?: string } | undefined;
    throw new VmError(`${method} ${path}: ${res.status} ${err?.message ?? ''}`.trim());
  }
  return json as T;
}

function labState(dir: string): LabState {
  const state = readLabState(resolve(dir));
  if (state === undefined || state.status !== 'ready')
    throw new VmError(`no lab is up in ${resolve(dir)} (weir lab up)`);
  return state;
}

export async function vmAdd(name: string, flags: VmAddFlags): Promise<number> {
  try {
    if (!/^[a-z0-9][a-z0-9-]{0,11}$/.test(name))
      throw new VmError('NAME: lower-case letters, digits and dashes, at most 12');
    if (flags.dhcp === true)
      throw new VmError(
        '--dhcp: DHCP is answered by the controller’s DHCP app, which does not exist yet; omit --dhcp for a static address',
      );
    const state = labState(flags.state);
    const nodeState = state.nodes.find((n) => n.name === flags.node);
    if (nodeState === undefined)
      throw new VmError(`--node: one of ${state.nodes.map((n) => n.name).join(', ')}`);
    if (flags.port === undefined || !/^[0-9a-f-]{36}$/.test(flags.port))
      throw new VmError('--port: a port id (UUID)');
    if (state.vms.some((v) => v.name === name)) throw new VmError(`a VM named ${name} exists already`);

    let { port } = await neutron<{ port: NeutronPort }>(state, 'GET', `/v2.0/ports/${flags.port}`);
    if (port['binding:host_id'] === '') {
      ({ port } = await neutron<{ port: NeutronPort }>(state, 'PUT', `/v2.0/ports/${port.id}`, {
        port: { 'binding:host_id': nodeState.name, device_id: `vm-${name}`, device_owner: 'compute:nova' },
      }));
    } else if (port['binding:host_id'] !== nodeState.name) {
      process.stderr.write(
        `weir lab vm add: port ${port.id} is bound to ${port['binding:host_id']}, not ${nodeState.name}: ` +
          `plugging it anyway; ${nodeState.name}'s controller will not serve it (the binding decides)\n`,
      );
    }
    const { network } = await neutron<{ network: { mtu: number } }>(
      state,
      'GET',
      `/v2.0/networks/${port.network_id}`,
    );
    const fixed = port.fixed_ips.find((f) => !f.ip_address.includes(':')) ?? port.fixed_ips[0];
    const subnet = fixed
      ? (
          await neutron<{ subnet: { cidr: string; gateway_ip: string | null } }>(
            state,
            'GET',
            `/v2.0/subnets/${fixed.subnet_id}`,
          )
        ).subnet
      : undefined;

    const node = await LabNode.attach(nodeState.instance, state.baseDir);
    const host = await LabHost.create(node.ovs, { name, mac: port.mac_address, mtu: network.mtu });
    try {
      if (fixed && subnet) {
        await host.addAddress(`${fixed.ip_address}/${subnet.cidr.split('/')[1]}`);
        if (subnet.gateway_ip)
          await host.exec('ip', ['route', 'replace', 'default', 'via', subnet.gateway_ip]);
      }
      await node.ovs.vsctl([
        ...['--may-exist', 'add-port', 'br-int', host.portName, '--', 'set', 'interface', host.portName],
        `external_ids:iface-id=${port.id}`,
        `external_ids:attached-mac=${port.mac_address}`,
        `external_ids:vm-uuid=vm-${name}`,
        'external_ids:iface-status=active',
      ]);
    } catch (error) {
      await host.remove();
      throw error;
    }
    const vm: LabVm = {
      name,
      node: nodeState.name,
      port: port.id,
      netns: host.netns,
      nic: host.portName,
      mac: port.mac_address,
      ...(fixed ? { ip: fixed.ip_address } : {}),
    };
    const recorded = await control(state.control, 'POST', '/vms', vm);
    if (recorded.status !== 200)
      throw new VmError(`the lab daemon did not record the VM: ${errorOf(recorded)}`);
    process.stdout.write(
      `vm ${name} on ${nodeState.name}: port ${port.id}, ${port.mac_address}${fixed ? `, ${fixed.ip_address}` : ''}, netns ${host.netns}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof VmError)) throw error;
    process.stderr.write(`weir lab vm add: ${error.message}\n`);
    return 1;
  }
}

export async function vmDel(name: string, flags: { readonly state: string }): Promise<number> {
  try {
    const state = labState(flags.state);
    const vm = state.vms.find((v) => v.name === name);
    if (vm === undefined) throw new VmError(`no VM named ${name}`);
    const nodeState = state.nodes.find((n) => n.name === vm.node);
    if (nodeState !== undefined) {
      const node = await LabNode.attach(nodeState.instance, state.baseDir);
      await node.ovs.vsctl(['--if-exists', 'del-port', 'br-int', vm.nic]);
      await LabHost.removeByName(node.ovs, name);
    }
    await control(state.control, 'DELETE', `/vms/${name}`);
    process.stdout.write(`vm ${name} removed\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof VmError)) throw error;
    process.stderr.write(`weir lab vm del: ${error.message}\n`);
    return 1;
  }
}

/** `weir lab exec NAME -- CMD…`: the command's exit status is ours. */
export async function labExec(
  name: string,
  command: readonly string[],
  flags: { readonly state: string },
): Promise<number> {
  const state = readLabState(resolve(flags.state));
  const vm = state?.vms.find((v) => v.name === name);
  const netns = vm?.netns ?? state?.nodes.find((n) => n.name === name)?.netns;
  if (netns === undefined) {
    process.stderr.write(`weir lab exec: no VM or node named ${name}\n`);
    return 1;
  }
  if (command.length === 0) {
    process.stderr.write('weir lab exec: give a command after --\n');
    return 2;
  }
  const { spawn } = await import('node:child_process');
  return new Promise((done) => {
    const child = spawn('ip', ['netns', 'exec', netns, ...command], { stdio: 'inherit' });
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
    child.on('error', () => done(127));
  });
}
