// The `weir` command. Today: `weir demo` (the one-switch scenario) and `weir version`. The
// server, controller, lab and k8s commands arrive with the issues that build them.
import { Command } from 'commander';
import { runDemo } from './commands/demo.js';

const program = new Command('weir')
  .description('Weir: a distributed SDN controller for hybrid clouds (OpenFlow 1.3 on Open vSwitch)')
  .version('0.1.0');

program
  .command('demo')
  .description('run the one-machine demo: real Open vSwitch, DHCP, ARP and ping between namespaces')
  .option('--json', 'print the result as JSON')
  .action(async (opts: { json?: boolean }) => {
    process.exitCode = await runDemo({ json: opts.json === true });
  });

await program.parseAsync(process.argv);
