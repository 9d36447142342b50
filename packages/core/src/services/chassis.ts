// Chassis: the nodes that run a Weir controller. A controller registers its chassis when it
// starts and keeps it alive; the other controllers build tunnels to it while it exists.
//
// Liveness is a store lease (etcd: a lease kept alive by the controller's client; embedded: alive
// while the store client is open). When the controller dies, the lease ends and the store deletes
// the object, which every other controller sees as a delete: it removes its tunnels and flows.
//
// Why one object per *incarnation* (a new id at every start) rather than one per name: an object's
// lease is fixed when it is created, and a restarted controller must not wait for its dead
// predecessor's lease to run out (the others would then remove its tunnels in the middle of a
// hitless restart), nor delete and recreate (a gap during which the chassis does not exist).
// So a start creates a new incarnation under a new lease first, then retires the older ones of
// the same name. Readers that key chassis by name (the controllers, the agents API) see the name
// continuously; during the instant both exist they carry the same tunnel endpoint.
import type { Chassis } from '@weir/model';
import type { CoreContext } from '../context.js';
import { badRequest } from '../errors.js';
import { isoSeconds, touch } from '../objects.js';
import { withRetries } from '../retry.js';

/** Every chassis object lives under this topic, so a controller can watch all of them at once. */
export const CHASSIS_TOPIC = 'chassis';

export interface ChassisSpec {
  /** The chassis name: the node's hostname, as ports name it in binding:host_id. */
  readonly name: string;
  readonly tunnelIp: string;
  readonly tunnelTypes: readonly Chassis['tunnelTypes'][number][];
  readonly bridgeMappings?: Readonly<Record<string, string>>;
}

/**
 * Creates this controller's incarnation of chassis `spec.name` under `lease` and retires older
 * incarnations of the same name (a predecessor that crashed). Returns the new object.
 */
export async function registerChassis(
  ctx: CoreContext,
  spec: ChassisSpec,
  lease: string | undefined,
): Promise<Chassis> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(spec.name)) {
    throw badRequest(
      'InvalidInput',
      `invalid chassis name "${spec.name}": letters, digits, '.', '_' and '-', at most 63`,
    );
  }
  const now = isoSeconds(ctx.now());
  const chassis: Chassis = {
    id: ctx.newId(),
    topic: CHASSIS_TOPIC,
    version: 0,
    uniqueKey: await ctx.store.allocateUniqueKey('chassis'),
    name: spec.name,
    description: '',
    tags: [],
    createdAt: now,
    updatedAt: now,
    hostname: spec.name,
    tunnelIp: spec.tunnelIp,
    tunnelTypes: [...spec.tunnelTypes],
    bridgeMappings: { ...(spec.bridgeMappings ?? {}) },
    heartbeatAt: now,
  };
  const result = await ctx.store.commit([
    lease === undefined
      ? { kind: 'create', table: 'chassis', object: chassis }
      : { kind: 'create', table: 'chassis', object: chassis, lease },
  ]);
  ctx.stats.commits++;
  const created = result.written[0] as Chassis;
  await retireOtherIncarnations(ctx, created);
  return created;
}

/** Deletes the other objects named like `current` (older incarnations of the same chassis). */
async function retireOtherIncarnations(ctx: CoreContext, current: Chassis): Promise<void> {
  const same = await ctx.store.list('chassis', { index: { name: 'name', value: current.name } });
  for (const old of same.items) {
    if (old.id === current.id) continue;
    // A delete that finds the object gone already (its lease ended meanwhile) is fine.
    await ctx.store
      .commit([{ kind: 'delete', table: 'chassis', id: old.id, expectedVersion: old.version }])
      .catch(() => undefined);
  }
}

/**
 * Refreshes the heartbeat (what the agents API reports as `alive`) and, when they changed, the
 * tunnel endpoint and types. Returns undefined when the incarnation is gone (its lease ended: the
 * caller must register again).
 */
export async function heartbeatChassis(
  ctx: CoreContext,
  id: string,
  update: Partial<Pick<ChassisSpec, 'tunnelIp' | 'tunnelTypes'>> = {},
): Promise<Chassis | undefined> {
  return withRetries(ctx, 'chassis heartbeat', async () => {
    const current = await ctx.store.get('chassis', id);
    if (!current) return undefined;
    const next: Chassis = touch(ctx, {
      ...current,
      heartbeatAt: isoSeconds(ctx.now()),
      ...(update.tunnelIp === undefined ? {} : { tunnelIp: update.tunnelIp }),
      ...(update.tunnelTypes === undefined ? {} : { tunnelTypes: [...update.tunnelTypes] }),
    });
    const result = await ctx.store.commit([{ kind: 'update', table: 'chassis', object: next }]);
    ctx.stats.commits++;
    return result.written[0] as Chassis;
  });
}

/** A clean stop: the incarnation goes at once (the others remove its tunnels now, not after a TTL). */
export async function unregisterChassis(ctx: CoreContext, id: string): Promise<void> {
  await ctx.store.commit([{ kind: 'delete', table: 'chassis', id }]).catch((error: unknown) => {
    if ((error as { code?: string }).code !== 'WEIR_STORE_NOT_FOUND') throw error;
  });
}
