// Quota management: defaults with per-project overrides, usage, admin-only changes, refusing a
// limit below usage unless forced, and the limits taking effect on creates.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isWeirError } from '@weir/model';
import {
  createNetwork,
  deleteProjectQuotas,
  listProjectQuotas,
  projectQuotaDetails,
  projectQuotas,
  setProjectQuotas,
} from '../src/index.js';
import { newEnv, type Env } from './helpers/env.js';

let env: Env;
beforeEach(async () => {
  env = await newEnv();
});
afterEach(async () => {
  await env.close();
});

async function rejectsWith(p: Promise<unknown>, kind: string, message?: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isWeirError(e), String(e));
    assert.equal(e.kind ?? e.code, kind, e.message);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

const RESOURCES = ['network', 'port', 'security_group_rule'];

describe('quotas', () => {
  it('shows defaults, stores overrides, counts usage and takes effect on creates', async () => {
    assert.deepEqual(await projectQuotas(env.ctx, env.alice.projectId, RESOURCES), {
      network: 100,
      port: 500,
      security_group_rule: 100,
    });
    await createNetwork(env.ctx, env.alice, {});
    await setProjectQuotas(env.ctx, env.admin, env.alice.projectId, { network: 1, port: -1 });
    assert.deepEqual(await projectQuotas(env.ctx, env.alice.projectId, RESOURCES), {
      network: 1,
      port: -1,
      security_group_rule: 100,
    });
    const details = await projectQuotaDetails(env.ctx, env.alice.projectId, ['network']);
    assert.deepEqual(details, { network: { limit: 1, used: 1, reserved: 0 } });
    await rejectsWith(
      createNetwork(env.ctx, env.alice, {}),
      'OverQuota',
      "Quota exceeded for resources: ['network'].",
    );
    assert.deepEqual(
      (await listProjectQuotas(env.ctx, env.admin)).map((q) => q.id),
      [env.alice.projectId],
    );
    await deleteProjectQuotas(env.ctx, env.admin, env.alice.projectId);
    assert.equal((await projectQuotas(env.ctx, env.alice.projectId, ['network'])).network, 100);
    await rejectsWith(
      deleteProjectQuotas(env.ctx, env.admin, env.alice.projectId),
      'TenantQuotaNotFound',
      `Quota for project ${env.alice.projectId} could not be found.`,
    );
  });

  it('refuses a limit below usage unless forced, and non-admins', async () => {
    await createNetwork(env.ctx, env.alice, {});
    await createNetwork(env.ctx, env.alice, {});
    await rejectsWith(
      setProjectQuotas(env.ctx, env.admin, env.alice.projectId, { network: 1 }),
      'HTTPBadRequest',
      'Quota limit 1 for network must be greater than or equal to already used 2',
    );
    await setProjectQuotas(env.ctx, env.admin, env.alice.projectId, { network: 1 }, { force: true });
    await rejectsWith(
      setProjectQuotas(env.ctx, env.alice, env.alice.projectId, { network: 5 }),
      'PolicyNotAuthorized',
      '(rule:update_quota) is disallowed by policy',
    );
    await rejectsWith(listProjectQuotas(env.ctx, env.alice), 'PolicyNotAuthorized');
    await rejectsWith(deleteProjectQuotas(env.ctx, env.bob, env.alice.projectId), 'PolicyNotAuthorized');
  });
});
