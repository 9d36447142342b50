// The `weir` command: demo, server, controller, lab, flows, trace, hash-password. Each command's
// code is imported when it runs, so a `weir controller` process never loads the API server, the
// lab or the demo (with the bundle, they are separate chunks: scripts/build.mjs).
import { Command, Option } from 'commander';
import type { ControllerFlags } from './commands/controller.js';
import type { FlowsFlags, TraceFlags } from './commands/flows.js';
import type { ServerFlags } from './commands/server.js';
import { labCommand } from './lab/commands.js';

const program = new Command('weir')
  .description('Weir: a distributed SDN controller for hybrid clouds (OpenFlow 1.3 on Open vSwitch)')
  .version('0.1.0');

program
  .command('demo')
  .description(
    'run the demo: a three-node lab, the API, a controller per node, real packets between namespaces',
  )
  .option('--json', 'print the result as JSON')
  .option(
    '--single-switch',
    'the one-switch scenario instead (DHCP, ARP and ping answered by a packet-in responder)',
  )
  .action(async (opts: { json?: boolean; singleSwitch?: boolean }) => {
    const { runDemo } = await import('./commands/demo.js');
    process.exitCode = await runDemo({ json: opts.json === true, singleSwitch: opts.singleSwitch === true });
  });

program
  .command('server')
  .description('serve the Neutron v2.0, Octavia v2 and Keystone v3 APIs over the northbound store')
  .option('--config <file>', 'YAML configuration file')
  .option('--db <url>', 'northbound store: memory:, file:PATH or etcd://host:port[,host:port…]')
  .option('--network-listen <host:port>', 'Neutron API listener (default 127.0.0.1:9696)')
  .option('--lb-listen <host:port>', 'Octavia API listener (default 127.0.0.1:9876)')
  .option('--identity-listen <host:port>', 'Keystone facade listener (default 127.0.0.1:5000)')
  .addOption(
    new Option('--auth <mode>', 'none: every request is admin; keystone: tokens').choices([
      'none',
      'keystone',
    ]),
  )
  .addOption(
    new Option('--log-level <level>', 'log level').choices(['silent', 'error', 'warn', 'info', 'debug']),
  )
  .action(async (opts: ServerFlags) => {
    const { runServer } = await import('./commands/server.js');
    process.exitCode = await runServer(opts);
  });

program
  .command('controller')
  .description('the local controller of this node: compiles what its ports need into OpenFlow on br-int')
  .option('--db <url>', 'northbound store: memory:, file:PATH or etcd://host:port[,host:port…]')
  .option('--chassis <name>', "this node's chassis name (what ports carry in binding:host_id)")
  .option('--ovsdb <target>', 'OVSDB server of this node (unix:PATH or tcp:HOST:PORT)')
  .option('--bridge <name>', 'integration bridge (default br-int)')
  .option('--tunnel-ip <ip>', 'the address other nodes send tunnel packets to')
  .option('--openflow <target>', 'where to listen for ovs-vswitchd (default unix:<ovsdb dir>/weir-of.sock)')
  .option('--tunnel-types <list>', 'geneve,vxlan (default both)')
  .option('--datapath-type <type>', 'br-int datapath type: netdev (userspace) or system')
  .option('--metrics-listen <host:port>', 'serve /metrics, /healthz, /readyz')
  .addOption(new Option('--log-level <level>', 'log level').choices(['debug', 'info', 'warn', 'error']))
  .action(async (opts: ControllerFlags) => {
    const { runController } = await import('./commands/controller.js');
    process.exitCode = await runController(opts);
  });

program
  .command('hash-password')
  .description('read a password from stdin and print its scrypt hash for identity.users[].password_hash')
  .action(async () => {
    const { runHashPassword } = await import('./commands/hash-password.js');
    process.exitCode = await runHashPassword();
  });

program.addCommand(labCommand());

program
  .command('flows')
  .description("a lab node's installed flows, with table names, priority bands and owners")
  .requiredOption('--node <node>', 'n1…nN')
  .option('--table <name>', 'only this table (e.g. L2Lookup)')
  .option('--app <name>', 'only flows of this app (e.g. l2, port-security)')
  .option('--stats', 'with packet and byte counters')
  .option('--groups', 'also the groups')
  .option('--state <dir>', 'lab state directory')
  .action(async (opts: FlowsFlags) => {
    const { runFlows } = await import('./commands/flows.js');
    process.exitCode = await runFlows(opts);
  });

program
  .command('trace')
  .description("trace a packet through a lab node's pipeline (ofproto/trace, annotated with table names)")
  .argument('[flow]', 'ovs-ofctl flow syntax, e.g. arp,arp_op=1,arp_tpa=10.0.0.5')
  .requiredOption('--node <node>', 'n1…nN')
  .option('--from <vm>', 'the packet enters from this VM (sets in_port and dl_src)')
  .option('--state <dir>', 'lab state directory')
  .action(async (flow: string | undefined, opts: TraceFlags) => {
    const { runTrace } = await import('./commands/flows.js');
    process.exitCode = await runTrace(flow, opts);
  });

await program.parseAsync(process.argv);
