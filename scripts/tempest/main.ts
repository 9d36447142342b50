// `npm run tempest`: tempest's network API tests against a fresh `weir server --auth keystone`.
//
//   npm run tempest [-- --concurrency N] [--regex R] [--keep] [--server-log-level info]
//
// Starts the server (memory store, loopback ports), provisions an external network, writes a
// tempest workspace (tempest.conf, accounts.yaml) in a temporary directory, runs
// `tempest run --regex '^tempest\.api\.network\.'`, and writes the results to
// /tmp/weir-tempest/<time>/ (summary.txt, results.json, results.subunit, the server's and
// tempest's logs). It prints passed/failed/skipped. Exit status: 0 when tempest ran, whatever
// the tests said; 1 when the harness itself failed. The server and the workspace are removed on
// every path (--keep keeps the workspace).
import { spawn, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { accountsYaml, identitySection, makeAccounts } from './accounts.js';
import { tempestConf } from './conf.js';
import { adminToken, createExternalNetwork, extensionAliases } from './provision.js';
import { collectResults, writeSummary } from './results.js';
import { startWeirServer, type WeirServer } from './server.js';

const { values: args } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '4' },
    regex: { type: 'string', default: '^tempest\\.api\\.network\\.' },
    keep: { type: 'boolean', default: false },
    'server-log-level': { type: 'string', default: 'warn' },
    'timeout-minutes': { type: 'string', default: '90' },
  },
});
const concurrency = Number(args.concurrency);
const REGION = 'RegionOne';

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const resultsRoot = '/tmp/weir-tempest';
const outDir = join(resultsRoot, stamp);
const scratch = mkdtempSync('/tmp/weir-tempest-ws-');
const workspace = join(scratch, 'workspace');
// tempest keeps a workspace registry in ~/.tempest: give it a home of its own.
const env: NodeJS.ProcessEnv = {
  PATH: '/usr/bin:/bin:/usr/sbin:/sbin',
  HOME: join(scratch, 'home'),
  LANG: 'C.UTF-8',
  // stestr starts workers with $PYTHON; the python3 first on a developer's PATH may not see
  // Debian's tempest.
  PYTHON: '/usr/bin/python3',
};

let server: WeirServer | undefined;
let tempest: ChildProcess | undefined;

async function cleanup(): Promise<void> {
  if (tempest && tempest.exitCode === null) tempest.kill('SIGTERM');
  await server?.stop();
  server = undefined;
  if (!args.keep) rmSync(scratch, { recursive: true, force: true });
  else console.log(`workspace kept: ${workspace}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}

function run(cmd: string, argv: string[], options: { cwd?: string; log?: string } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = options.log ? createWriteStream(options.log) : undefined;
    child.stdout.pipe(log ?? process.stdout);
    child.stderr.pipe(log ?? process.stderr);
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/** `tempest run`, its output to a log, one progress line per 25 finished tests. */
function runTempest(log: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const argv = [
      'run',
      '--regex',
      args.regex,
      '--concurrency',
      String(concurrency),
      '--config-file',
      join(workspace, 'etc', 'tempest.conf'),
    ];
    const child = spawn('tempest', argv, { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    tempest = child;
    const out = createWriteStream(log);
    let done = 0;
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out.write(chunk);
      tail += chunk.toString();
      const lines = tail.split('\n');
      tail = lines.pop() ?? '';
      for (const l of lines)
        if (/\.\.\. (ok|FAILED|SKIPPED)/.test(l) && ++done % 25 === 0) console.log(`  ${done} tests done`);
    });
    child.stderr.pipe(out);
    const timer = setTimeout(() => child.kill('SIGTERM'), Number(args['timeout-minutes']) * 60_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

async function main(): Promise<number> {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error('--concurrency must be a positive integer');
  mkdirSync(outDir, { recursive: true });
  mkdirSync(env.HOME as string, { recursive: true });
  console.log(`results: ${outDir}`);

  const accounts = makeAccounts(concurrency);
  const configFile = join(scratch, 'weir-server.yaml');
  const config = {
    db: 'memory:',
    auth: 'keystone',
    listen: { network: '127.0.0.1:0', load_balancer: '127.0.0.1:0', identity: '127.0.0.1:0' },
    region: REGION,
    identity: await identitySection(accounts),
    log_level: args['server-log-level'],
  };
  // JSON is YAML: the server reads it as its configuration file.
  writeFileSync(configFile, JSON.stringify(config, null, 2), { mode: 0o600 });
  server = await startWeirServer(configFile, join(outDir, 'server.log'));
  console.log(
    `weir server (pid ${server.pid}): network ${server.urls.network}, identity ${server.urls.identity}/v3`,
  );

  const token = await adminToken(server.urls, accounts.provisioner);
  const external = await createExternalNetwork(server.urls, token);
  if (external.subnetProblem)
    console.log(`warning: no subnet on the external network: ${external.subnetProblem}`);
  const extensions = await extensionAliases(server.urls, token);
  console.log(`extensions (${extensions.length}): ${extensions.join(', ')}`);

  if ((await run('tempest', ['init', workspace], { log: join(outDir, 'tempest-init.log') })) !== 0)
    throw new Error(`tempest init failed (see ${outDir}/tempest-init.log)`);
  const accountsFile = join(workspace, 'etc', 'accounts.yaml');
  writeFileSync(accountsFile, accountsYaml(accounts), { mode: 0o600 });
  const conf = tempestConf({
    workspace,
    accountsFile,
    urls: server.urls,
    region: REGION,
    external,
    extensions,
  });
  writeFileSync(join(workspace, 'etc', 'tempest.conf'), conf);
  writeFileSync(join(outDir, 'tempest.conf'), conf);

  console.log(
    `tempest run --regex '${args.regex}' --concurrency ${concurrency} (log: ${outDir}/tempest-run.log)`,
  );
  const started = Date.now();
  const code = await runTempest(join(outDir, 'tempest-run.log'));
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  tempest = undefined;
  // tempest writes its log next to where it runs, or in log_dir, depending on how it was called.
  for (const log of [join(workspace, 'tempest.log'), join(workspace, 'logs', 'tempest.log')])
    if (existsSync(log)) copyFileSync(log, join(outDir, 'tempest.log'));

  const noResults = (why: string): Error =>
    new Error(`${why} (tempest exit ${code}; see ${outDir}/tempest-run.log)`);
  let summary;
  try {
    summary = collectResults(workspace, outDir, env);
  } catch (error) {
    throw noResults((error as Error).message);
  }
  if (summary.results.length === 0) throw noResults('tempest produced no results');
  const text = writeSummary(outDir, summary, [
    `weir tempest run ${stamp}: regex ${args.regex}, concurrency ${concurrency}, ${minutes} min, tempest exit ${code}`,
  ]);
  const latest = join(resultsRoot, 'latest');
  rmSync(latest, { force: true });
  symlinkSync(outDir, latest);
  console.log(text.split('\n').slice(0, 2).join('\n'));
  console.log(`full summary: ${outDir}/summary.txt`);
  return 0;
}

let status = 1;
try {
  status = await main();
} catch (error) {
  console.error(`tempest harness: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await cleanup();
}
process.exit(status);
