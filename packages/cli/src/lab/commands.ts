// `weir lab …`: the subcommands, registered on the program by main.ts.
// Implementations are imported when a subcommand runs (see main.ts).
import { Command } from 'commander';
import { DEFAULT_STATE_DIR } from './state.js';
import type { UpFlags } from './up.js';
import type { VmAddFlags } from './vm.js';

const STATE_HELP = `lab state directory (default ${DEFAULT_STATE_DIR})`;

export function labCommand(): Command {
  const lab = new Command('lab').description(
    'a multi-node lab on this machine: nodes with their own Open vSwitch, weir server, one controller per node',
  );

  lab
    .command('up')
    .description('build the lab, start the API and the controllers, wait until ready')
    .option('--nodes <n>', 'number of nodes (default 3)')
    .option(
      '--db <mode>',
      'memory: (default, one process), file:PATH (one process, durable) or etcd (a private etcd, one process per role)',
    )
    .option('--state <dir>', STATE_HELP, DEFAULT_STATE_DIR)
    .option('--name <name>', 'lab name: namespaces are wl-<name>-… (default weir)')
    .option('--api-port <port>', 'Neutron port; Octavia +1, Keystone +2 (default 9696)')
    .option('--metrics-port <port>', 'controllers’ /metrics (default 9650)')
    .option('--base-dir <dir>', 'where node run directories live (default /tmp/weir-lab)')
    .option('--json', 'print the lab state as JSON')
    .action(async (opts: UpFlags) => {
      const { labUp } = await import('./up.js');
      process.exitCode = await labUp(opts);
    });

  lab
    .command('status')
    .description('nodes, processes with PIDs, endpoints, OVS socket paths')
    .option('--state <dir>', STATE_HELP, DEFAULT_STATE_DIR)
    .option('--json', 'as JSON')
    .action(async (opts: { state: string; json?: boolean }) => {
      const { labStatus } = await import('./status.js');
      process.exitCode = await labStatus(opts);
    });

  lab
    .command('down')
    .description('remove every process, namespace, link and file of the lab (also after a crash)')
    .option('--state <dir>', STATE_HELP, DEFAULT_STATE_DIR)
    .action(async (opts: { state: string }) => {
      const { labDown } = await import('./down.js');
      process.exitCode = await labDown(opts);
    });

  lab
    .command('controller')
    .description('stop or start one node’s controller')
    .argument('<action>', 'stop or start')
    .argument('<node>', 'n1…nN')
    .option('--kill', 'stop as a crash (SIGKILL in etcd mode; no unregister)')
    .option('--state <dir>', STATE_HELP, DEFAULT_STATE_DIR)
    .action(async (action: string, node: string, opts: { state: string; kill?: boolean }) => {
      const { labController } = await import('./controller.js');
      process.exitCode = await labController(action, node, opts);
    });

  const vm = lab.command('vm').description('VM stand-ins: a namespace plugged as Nova/os-vif would');
  vm.command('add')
    .argument('<name>')
    .requiredOption('--node <node>', 'n1…nN')
    .requiredOption('--port <id>', 'the Neutron port the VM uses')
    .option('--dhcp', 'get the address by DHCP (not yet: needs the DHCP app)')
    .option('--state <dir>', STATE_HELP, DEFAULT_STATE_DIR)
    .action(async (name: string, opts: VmAddFlags) => {
      const { vmAdd } = await import('./vm.js');
      process.exitCode = await vmAdd(name, opts);
    });
  vm.command('del')
    .argument('<name>')
    .option('--state <dir>', STATE_HELP, DEFAULT_STATE_DIR)
    .action(async (name: string, opts: { state: string }) => {
      const { vmDel } = await import('./vm.js');
      process.exitCode = await vmDel(name, opts);
    });

  lab
    .command('exec')
    .description('run a command in a VM (or node) namespace: weir lab exec NAME -- CMD…')
    .argument('<name>')
    .argument('[command...]')
    .option('--state <dir>', STATE_HELP, DEFAULT_STATE_DIR)
    .action(async (name: string, command: string[], opts: { state: string }) => {
      const { labExec } = await import('./vm.js');
      process.exitCode = await labExec(name, command, opts);
    });

  lab
    .command('daemon', { hidden: true })
    .requiredOption('--state <dir>')
    .requiredOption('--name <name>')
    .requiredOption('--nodes <n>')
    .requiredOption('--db <db>')
    .requiredOption('--api-port <port>')
    .requiredOption('--metrics-port <port>')
    .option('--base-dir <dir>', '', '/tmp/weir-lab')
    .action(
      async (opts: {
        state: string;
        name: string;
        nodes: string;
        db: string;
        apiPort: string;
        metricsPort: string;
        baseDir: string;
      }) => {
        const { LabDaemon } = await import('./daemon.js');
        const daemon = new LabDaemon({
          stateDir: opts.state,
          name: opts.name,
          nodes: Number(opts.nodes),
          db: opts.db,
          baseDir: opts.baseDir,
          apiPort: Number(opts.apiPort),
          metricsPort: Number(opts.metricsPort),
        });
        await daemon.run();
      },
    );

  return lab;
}
