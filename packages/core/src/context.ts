// What every core service gets: the store, a clock and id source (injectable for deterministic
// tests), and configuration. Services are plain functions of (ctx, actor, input).
import { randomBytes, randomUUID } from 'node:crypto';
import type { Store } from '@weir/nbdb';

export interface CoreConfig {
  /** First three bytes of generated MACs (OpenStack's default). */
  readonly macPrefix: readonly [number, number, number];
  /** MTU of tenant overlay networks (underlay MTU minus tunnel overhead). */
  readonly overlayMtu: number;
  /** Network type given to tenant networks that do not say. */
  readonly tenantNetworkType: 'geneve' | 'vxlan';
  /** Segmentation ids for overlay networks. */
  readonly vniRange: readonly [number, number];
  /** VLAN ids per physical network, for vlan provider networks. */
  readonly vlanRanges: Readonly<Record<string, readonly [number, number]>>;
  /** Default per-project limits; -1: unlimited. */
  readonly defaultQuotas: Readonly<Record<string, number>>;
  /** How many times a read-compute-commit is retried when a concurrent writer won. */
  readonly maxRetries: number;
}

export const DEFAULT_CONFIG: CoreConfig = {
  macPrefix: [0xfa, 0x16, 0x3e],
  overlayMtu: 1450,
  tenantNetworkType: 'geneve',
  vniRange: [1, 16_000_000],
  vlanRanges: {},
  // Neutron's defaults (neutron.conf [quotas]).
  defaultQuotas: {
    network: 100,
    subnet: 100,
    port: 500,
    router: 10,
    floatingip: 50,
    security_group: 10,
    security_group_rule: 100,
    trunk: -1,
    loadbalancer: -1,
    listener: -1,
    pool: -1,
    member: -1,
    healthmonitor: -1,
  },
  maxRetries: 64,
};

export interface CoreContext {
  readonly store: Store;
  readonly config: CoreConfig;
  now(): Date;
  newId(): string;
  /** Uniform random integer in [0, n). */
  random(n: number): number;
  /** Random bytes (MAC generation). */
  randomBytes(n: number): Buffer;
  /** Counters for operators and benchmarks. */
  readonly stats: { retries: number; commits: number };
  /**
   * Facts remembered between requests to save store round trips. Never a source of truth: every
   * use is verified in the commit it serves (a version check), and a retry bypasses it.
   */
  readonly memo: CoreMemo;
}

export interface CoreMemo {
  /** project id → its default security group, as last read or created. */
  readonly defaultSecurityGroups: Map<string, { readonly id: string; readonly version: number }>;
}

export function createContext(store: Store, config: Partial<CoreConfig> = {}): CoreContext {
  return {
    store,
    config: { ...DEFAULT_CONFIG, ...config },
    now: () => new Date(),
    newId: () => randomUUID(),
    random: (n) => Math.floor(Math.random() * n),
    randomBytes: (n) => randomBytes(n),
    stats: { retries: 0, commits: 0 },
    memo: { defaultSecurityGroups: new Map() },
  };
}

/** Who is asking: a project, possibly with the admin role. */
export interface Actor {
  readonly projectId: string;
  readonly admin: boolean;
}

export function adminActor(projectId: string): Actor {
  return { projectId, admin: true };
}
