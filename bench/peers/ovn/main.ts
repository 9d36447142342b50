// One OVN peer run from the command line (root): installs OVN if needed, runs run.sh with the
// given workload, prints describeOvnResult's lines and then the whole result as JSON.
//   node --import tsx bench/peers/ovn/main.ts --nch 1 --nfake 9 --ns 10 --pps 100 --nlb 0
// Options: --nch --nfake --ns --pps --nlb --nbe --nns --reps (integers), --label NAME,
// --timeout SECONDS, --keep DIR (keep run.sh's output in DIR/NAME/), --quiet (no run.sh log),
// --pause-northd (northd paused during the writes: the cold-compile figure, see README.md).
import { parseArgs } from 'node:util';
import { describeOvnResult, ensureOvnPackages, runOvnPeer, type OvnPeerParams } from './ovn-peer.js';

const { values } = parseArgs({
  options: {
    nch: { type: 'string', default: '1' },
    nfake: { type: 'string', default: '9' },
    ns: { type: 'string', default: '10' },
    pps: { type: 'string', default: '100' },
    nlb: { type: 'string' },
    nbe: { type: 'string' },
    nns: { type: 'string' },
    reps: { type: 'string' },
    label: { type: 'string' },
    timeout: { type: 'string' },
    keep: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    'pause-northd': { type: 'boolean', default: false },
  },
});

const int = (name: string, v: string): number => {
  const x = Number(v);
  if (!Number.isSafeInteger(x)) throw new RangeError(`--${name} wants an integer, got '${v}'`);
  return x;
};
const optional = (name: 'nlb' | 'nbe' | 'nns' | 'reps'): Partial<Record<typeof name, number>> => {
  const v = values[name];
  return v === undefined ? {} : { [name]: int(name, v) };
};

const nch = int('nch', values.nch);
const nfake = int('nfake', values.nfake);
const ns = int('ns', values.ns);
const pps = int('pps', values.pps);
const params: OvnPeerParams = {
  nch,
  nfake,
  ns,
  pps,
  ...optional('nlb'),
  ...optional('nbe'),
  ...optional('nns'),
  ...optional('reps'),
  pauseNorthd: values['pause-northd'],
  label:
    values.label ??
    `c${nch}f${nfake}-s${ns}x${pps}-lb${values.nlb ?? 'd'}${values['pause-northd'] ? '-paused' : ''}`,
};

// Ctrl-C must not leave a deployment behind: the run is in its own process group, so stop it
// through runOvnPeer (group killed, then teardown.sh) instead of dying first.
const abort = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => abort.abort());

const t0 = performance.now();
const stamp = (): string => `[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s]`;
const log = values.quiet ? undefined : (line: string): void => console.error(`${stamp()} ${line}`);

try {
  await ensureOvnPackages(log === undefined ? {} : { log });
  const result = await runOvnPeer(params, {
    ...(log === undefined ? {} : { log }),
    ...(values.timeout === undefined ? {} : { timeoutMs: int('timeout', values.timeout) * 1000 }),
    ...(values.keep === undefined ? {} : { resultsDir: values.keep }),
    signal: abort.signal,
  });
  for (const line of describeOvnResult(result)) console.log(line);
  console.log(JSON.stringify(result, null, 2));
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
}
