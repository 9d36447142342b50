// Ports to build trunks from, and an assertion on Weir errors (code and Neutron kind).
import assert from 'node:assert/strict';
import { isWeirError, type LogicalPort, type WeirErrorCode } from '@weir/model';
import type { Actor } from '../../src/index.js';
import { createNetwork, createPort, createSubnet } from '../../src/index.js';
import type { Env } from './env.js';

/** Rejects with a WeirError of this code and kind; returns it for further checks. */
export async function rejectsWith(
  p: Promise<unknown>,
  code: WeirErrorCode,
  kind?: string,
): Promise<{ message: string }> {
  let caught: unknown;
  await assert.rejects(p, (e: unknown) => {
    caught = e;
    return true;
  });
  assert.ok(isWeirError(caught), String(caught));
  assert.equal(caught.code, code, caught.message);
  if (kind !== undefined) assert.equal(caught.kind, kind, caught.message);
  return caught;
}

export interface TrunkNet {
  /** A new port of the network's owner (unbound; no device unless given). */
  port(extra?: { deviceId?: string; name?: string }): Promise<LogicalPort>;
  readonly networkId: string;
}

/** A network with one IPv4 subnet, owned by `actor` (alice by default). */
export async function trunkNet(env: Env, options: { actor?: Actor; mtu?: number } = {}): Promise<TrunkNet> {
  const owner = options.actor ?? env.alice;
  const network = await createNetwork(env.ctx, owner, options.mtu === undefined ? {} : { mtu: options.mtu });
  await createSubnet(env.ctx, owner, { networkId: network.id, cidr: '10.10.0.0/24' });
  return {
    networkId: network.id,
    port: (extra = {}) => createPort(env.ctx, owner, { networkId: network.id, ...extra }),
  };
}
