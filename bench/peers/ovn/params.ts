// What a caller asks of one OVN peer run, and the environment of run.sh that delivers it.
// The shared scripts are read-only and some settings break them, so the mapping from the asked
// workload to what run.sh can actually build lives here, in one place, with the reason next to it.

export interface OvnPeerParams {
  /** real chassis: each its own ovsdb-server + ovs-vswitchd + ovn-controller (≥ 1; hv0 is measured) */
  readonly nch: number;
  /** chassis that exist only in the southbound DB, standing for the rest of the cluster */
  readonly nfake: number;
  /** logical switches (networks); switch i lives on node i % (nch + nfake) */
  readonly ns: number;
  /** ports per switch */
  readonly pps: number;
  /** load balancers; 0 is run as 1 LB × 1 backend (see effectiveEnv) */
  readonly nlb?: number;
  /** backends per load balancer */
  readonly nbe?: number;
  /** repetitions of each incremental change; the figures are medians over them */
  readonly reps?: number;
  /** namespaces (port groups with 3 ACLs each); default ns, as run.sh does. Not in the lead's brief,
   *  kept optional so a NetworkPolicy-free shape can still be asked for with 1 */
  readonly nns?: number;
  /** pause ovn-northd during the NB writes (run.sh PAUSE_NORTHD=1): t_from_writes_end_hv_s is then
   *  the cold "compile a whole existing NB on every chassis" time, free of the harness's write time */
  readonly pauseNorthd?: boolean;
  /** names the results directory; letters, digits, '.', '_', '-' */
  readonly label: string;
}

/** The values handed to run.sh (after the work-arounds below), as the strings the env carries. */
export interface OvnEffectiveWorkload {
  readonly NCH: string;
  readonly NFAKE: string;
  readonly NS: string;
  readonly PPS: string;
  readonly NNS: string;
  readonly NLB: string;
  readonly NBE: string;
  readonly REPS: string;
  readonly PAUSE_NORTHD: '0' | '1';
}

// run.sh's own defaults, repeated so that the header of a result can say what ran.
export const RUN_SH_DEFAULTS = { nlb: 100, nbe: 10, reps: 5 } as const;

function count(name: string, v: number, min: number): number {
  if (!Number.isSafeInteger(v) || v < min)
    throw new RangeError(`OVN peer: ${name} must be an integer ≥ ${min}, got ${v}`);
  return v;
}

/** Checks the asked workload and returns run.sh's environment for it. */
export function effectiveEnv(p: OvnPeerParams): OvnEffectiveWorkload {
  if (!/^[A-Za-z0-9._-]+$/.test(p.label) || p.label === '.' || p.label === '..') {
    throw new RangeError(`OVN peer: label must be a plain file name, got '${p.label}'`);
  }
  // Every measurement of run.sh reads chassis hv0 and switch ls0: no real chassis or no switch
  // breaks it half-way (after minutes of setup), so refuse up front.
  const nch = count('nch', p.nch, 1);
  const nfake = count('nfake', p.nfake, 0);
  const ns = count('ns', p.ns, 1);
  const pps = count('pps', p.pps, 1);
  // REPS=0 makes every inc_* median an empty string.
  const reps = count('reps', p.reps ?? RUN_SH_DEFAULTS.reps, 1);
  // NNS=0: create_nb_policies computes idx % NNS (division by zero) and the incremental phase adds
  // ports and ACLs to pg_ns0. There is no setting without port groups; 1 is the smallest.
  const nns = count('nns', p.nns ?? ns, 1);
  let nlb = count('nlb', p.nlb ?? RUN_SH_DEFAULTS.nlb, 0);
  let nbe = count('nbe', p.nbe ?? RUN_SH_DEFAULTS.nbe, 1);
  if (nlb === 0) {
    // NLB=0 is accepted by the bulk phase but kills the incremental phase: step (3) computes
    // `r % NLB` (bash: division by 0) and then edits lb<k>. The smallest valid setting is one LB;
    // with one backend it adds the least (a handful of flows per datapath, one group per chassis).
    nlb = 1;
    nbe = 1;
  }
  return {
    NCH: String(nch),
    NFAKE: String(nfake),
    NS: String(ns),
    PPS: String(pps),
    NNS: String(nns),
    NLB: String(nlb),
    NBE: String(nbe),
    REPS: String(reps),
    PAUSE_NORTHD: p.pauseNorthd === true ? '1' : '0',
  };
}
