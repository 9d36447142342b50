// run.sh's results as typed figures, and the lines the controller benchmark prints beside Weir's.
// Key names are run.sh's own (snake_case), so a figure here can be found in run.sh and its README.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_SH_DEFAULTS, type OvnPeerParams } from './params.js';

// Figures every successful run writes (run.sh stops under `set -e` before writing otherwise).
const NUMBER_KEYS = [
  // the workload as it ran (NLB/NBE/NNS may differ from what was asked: see params.ts)
  'nch',
  'nfake',
  'ns',
  'pps',
  'ports',
  'nns',
  'nlb',
  'nbe',
  'raft',
  'pause_northd',
  'cpus',
  // bulk phase, seconds: OVS ports are plugged first (untimed for OVN), then the timed NB writes
  't_ovs_ports_s',
  't_nb_topology_s',
  't_nb_policies_s',
  't_nb_lbs_s',
  't_nb_writes_s',
  't_sb_sync_from_start_s',
  't_fake_bind_s',
  't_hv_sync_from_start_s',
  't_from_writes_end_sb_s',
  't_from_writes_end_hv_s',
  'lsp_up',
  't_all_up_from_start_s',
  // sizes
  'sb_lflows',
  'sb_dp_groups',
  'nb_db_bytes',
  'sb_db_bytes',
  // incremental changes at scale, medians over REPS, seconds
  'inc_port_add_wait_hv_s',
  'inc_pod_ready_ovn_installed_s',
  'inc_lb_backend_add_wait_hv_s',
  'inc_lb_add_wait_hv_s',
  'inc_acl_add_wait_hv_s',
  // forced full recomputes, seconds
  't_ctrl_full_recompute_plus_sync_s',
  't_northd_full_recompute_plus_sync_s',
] as const;

// Figures run.sh writes as "NA" or "" when it cannot read them (a daemon already gone, a
// stopwatch this OVN version does not have): null here.
const PHASES = ['bulk', 'inc', 'recompute'] as const;
const STOPWATCHES = [
  'northd_ovnnb_db_run_max_ms',
  'northd_loop_max_ms',
  'ctrl_flow_generation_max_ms',
  'ctrl_flow_installation_max_ms',
] as const;
type StopwatchKey = `sw_${(typeof PHASES)[number]}_${(typeof STOPWATCHES)[number]}`;
const NULLABLE_KEYS = ['rss_peak_kb_nb_ovsdb', 'rss_peak_kb_sb_ovsdb', 'rss_peak_kb_northd'] as const;

const STRING_KEYS = ['label', 'ovn_version', 'ovs_version', 'inc_samples'] as const;

// One per real chassis N (0 ≤ N < nch).
const PER_CHASSIS_NUMBER = ['of_flows_hv', 'of_groups_hv'] as const;
const PER_CHASSIS_NULLABLE = [
  'rss_peak_kb_ovn_controller_hv',
  'rss_peak_kb_ovs_vswitchd_hv',
  'rss_peak_kb_local_ovsdb_hv',
] as const;

type Nums<K extends string> = { readonly [P in K]: number };
type Maybe<K extends string> = { readonly [P in K]: number | null };
type Strs<K extends string> = { readonly [P in K]: string };
type Hv<K extends string, V> = { readonly [P in `${K}${number}`]?: V } & { readonly [P in `${K}0`]: V };

export type OvnPeerResult = Nums<(typeof NUMBER_KEYS)[number]> &
  Maybe<(typeof NULLABLE_KEYS)[number] | StopwatchKey> &
  Strs<(typeof STRING_KEYS)[number]> &
  Hv<(typeof PER_CHASSIS_NUMBER)[number], number> &
  Hv<(typeof PER_CHASSIS_NULLABLE)[number], number | null> & {
    /** what the caller asked (the keys above say what ran) */
    readonly params: OvnPeerParams;
    /** run.sh's output directory: summary.txt, result.json, log.txt, stopwatch-*.txt. Removed
     *  after the run unless runOvnPeer was given options.resultsDir */
    readonly resultDir: string;
    /** result.json (or summary.txt) as run.sh wrote it, including keys this file does not know */
    readonly raw: Record<string, string | number>;
    /** wall-clock time of the whole run.sh (deployment, workload, measurements, teardown) */
    readonly wallSeconds: number;
  };

// The same test run.sh applies before writing a value unquoted into result.json.
const NUMERIC = /^-?[0-9]+(\.[0-9]+)?$/;

function fromSummary(text: string): Record<string, string | number> {
  const raw: Record<string, string | number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\S+)[ \t]*(.*)$/.exec(line);
    if (!m?.[1]) continue;
    const v = (m[2] ?? '').trim();
    raw[m[1]] = NUMERIC.test(v) ? Number(v) : v;
  }
  return raw;
}

function fromJson(text: string): Record<string, string | number> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // run.sh prints values it thinks numeric unquoted: "012" would be invalid JSON.
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const raw: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v === 'string' || typeof v === 'number') raw[k] = v;
  }
  return raw;
}

/** Reads run.sh's results in `dir` (result.json, else summary.txt) into typed figures. */
export function parseResultDir(
  dir: string,
  extra: Pick<OvnPeerResult, 'params' | 'resultDir' | 'wallSeconds'>,
): OvnPeerResult {
  const jsonFile = join(dir, 'result.json');
  const summaryFile = join(dir, 'summary.txt');
  const summary = existsSync(summaryFile) ? fromSummary(readFileSync(summaryFile, 'utf8')) : null;
  const raw = (existsSync(jsonFile) ? fromJson(readFileSync(jsonFile, 'utf8')) : null) ?? summary;
  if (raw === null) throw new Error(`OVN peer: neither result.json nor summary.txt readable in ${dir}`);

  const out: Record<string, unknown> = {};
  const num = (k: string): void => {
    const v = raw[k];
    if (typeof v !== 'number') throw new Error(`OVN peer: ${k} is not a number in ${dir}: '${String(v)}'`);
    out[k] = v;
  };
  const maybe = (k: string): void => {
    const v = raw[k];
    out[k] = typeof v === 'number' ? v : null;
  };
  for (const k of NUMBER_KEYS) num(k);
  for (const k of NULLABLE_KEYS) maybe(k);
  for (const p of PHASES) for (const s of STOPWATCHES) maybe(`sw_${p}_${s}`);
  for (const k of STRING_KEYS) {
    // A version such as "23.10" passes run.sh's numeric test and would come back as 23.1: the
    // summary keeps the text as printed.
    const v = typeof raw[k] === 'string' ? raw[k] : (summary?.[k] ?? raw[k]);
    out[k] = v === undefined ? '' : String(v);
  }
  const nch = out.nch as number;
  for (let c = 0; c < nch; c++) {
    for (const k of PER_CHASSIS_NUMBER) num(`${k}${c}`);
    for (const k of PER_CHASSIS_NULLABLE) maybe(`${k}${c}`);
  }
  // Every key above has been checked against its declared type.
  return { ...out, ...extra, raw } as OvnPeerResult;
}

const ms = (s: number): string => `${Math.round(s * 1000).toLocaleString('en-US')} ms`;
const mb = (kb: number | null): string => (kb === null ? '?' : String(Math.round(kb / 1024)));
const n = (x: number): string => x.toLocaleString('en-US');

/** The lines to print beside Weir's figures for the same step. */
export function describeOvnResult(r: OvnPeerResult): string[] {
  const lbs =
    r.params.nlb === 0
      ? `no LBs (run with ${r.nlb} × ${r.nbe} backend: run.sh needs one)`
      : `${n(r.nlb)} LBs × ${r.nbe} backends`;
  const pad = (label: string, value: string): string => `  ${label.padEnd(46)} ${value.padStart(10)}`;
  // The bulk window includes the harness building the NB in bash (a few forks per port: on a
  // slow-fork machine that is most of it), so the part after the last write is printed too; with
  // northd paused during the writes that part is the cold compile of the whole NB.
  const tail =
    r.pause_northd === 1
      ? 'whole NB, then compiled (northd paused)'
      : 'after the last NB write → every chassis';
  return [
    `OVN ${r.ovn_version} / OVS ${r.ovs_version} peer: ${n(r.nch + r.nfake)} chassis (${r.nch} real + ${n(r.nfake)} SB-only), ` +
      `${n(r.ports)} ports on ${n(r.ns)} networks, ${n(r.nns)} namespaces, ${lbs}; ` +
      `medians of ${r.params.reps ?? RUN_SH_DEFAULTS.reps}; run ${Math.round(r.wallSeconds)} s`,
    pad('+1 plugged port --wait=hv', ms(r.inc_port_add_wait_hv_s)),
    pad('pod ready: add-port → ovn-installed', ms(r.inc_pod_ready_ovn_installed_s)),
    pad('first NB write → every chassis installed', ms(r.t_hv_sync_from_start_s)) +
      ` (of which NB writes ${ms(r.t_nb_writes_s)})`,
    pad(tail, ms(r.t_from_writes_end_hv_s)) + ` (of which fake-chassis binding ${ms(r.t_fake_bind_s)})`,
    pad('OF flows on hv0', n(r.of_flows_hv0)) + ` (${n(r.of_groups_hv0)} groups)`,
    pad(
      'peak RSS ovn-controller/vswitchd/northd/SB db',
      `${mb(r.rss_peak_kb_ovn_controller_hv0)} / ${mb(r.rss_peak_kb_ovs_vswitchd_hv0)} / ` +
        `${mb(r.rss_peak_kb_northd)} / ${mb(r.rss_peak_kb_sb_ovsdb)} MB`,
    ),
  ];
}
