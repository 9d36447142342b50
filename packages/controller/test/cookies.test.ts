import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  APP_IDS,
  APP_MASK,
  GENERATION_MASK,
  OWNER_KEY_MASK,
  OWNER_KIND_MASK,
  OWNER_KINDS,
  appSelector,
  deleteByCookie,
  generationSelector,
  isControllerError,
  makeCookie,
  nextGeneration,
  ownerSelector,
  parseCookie,
  staleGenerations,
  type AppName,
  type CookieParts,
  type CookieSelector,
  type OwnerKind,
} from '../src/index.js';

const apps = Object.keys(APP_IDS) as AppName[];
const kinds = Object.keys(OWNER_KINDS) as OwnerKind[];
const partsArb: fc.Arbitrary<CookieParts> = fc.record({
  generation: fc.integer({ min: 1, max: 0xffff }),
  app: fc.constantFrom(...apps),
  owner: fc.record({ kind: fc.constantFrom(...kinds), key: fc.integer({ min: 0, max: 0xffffffff }) }),
});
const selects = (s: CookieSelector, cookie: bigint): boolean => (cookie & s.cookieMask) === s.cookie;

describe('cookies', () => {
  it('lays out generation | app | owner kind | owner key in 64 disjoint bits', () => {
    const masks = [GENERATION_MASK, APP_MASK, OWNER_KIND_MASK, OWNER_KEY_MASK];
    assert.equal(
      masks.reduce((a, m) => a | m, 0n),
      0xffff_ffff_ffff_ffffn,
    );
    for (let i = 0; i < masks.length; i++)
      for (let j = i + 1; j < masks.length; j++)
        assert.equal((masks[i] as bigint) & (masks[j] as bigint), 0n);
    const c = makeCookie({ generation: 3, app: 'l2', owner: { kind: 'port', key: 17 } });
    assert.equal(c, 0x0003_04_05_00000011n);
  });

  it('round-trips every generation, app, kind and key', () => {
    fc.assert(
      fc.property(partsArb, (p) => {
        assert.deepEqual(parseCookie(makeCookie(p)), { ...p, owner: { ...p.owner } });
      }),
    );
  });

  it('selects by generation, app and owner exactly', () => {
    fc.assert(
      fc.property(partsArb, partsArb, (a, b) => {
        const ca = makeCookie(a);
        const cb = makeCookie(b);
        assert.equal(selects(generationSelector(a.generation), ca), true);
        assert.equal(selects(generationSelector(a.generation), cb), a.generation === b.generation);
        assert.equal(selects(appSelector(a.app), cb), a.app === b.app);
        const sameOwner = a.owner.kind === b.owner.kind && a.owner.key === b.owner.key;
        assert.equal(selects(ownerSelector(a.owner), cb), sameOwner);
        assert.equal(selects(ownerSelector(a.owner, a.app), cb), sameOwner && a.app === b.app);
      }),
    );
  });

  it('builds the sweep as one masked delete in every table, and never a flush', () => {
    const m = deleteByCookie(generationSelector(7));
    assert.equal(m.command, 'delete');
    assert.equal(m.tableId, 0xff);
    assert.equal(m.cookie, 7n << 48n);
    assert.equal(m.cookieMask, GENERATION_MASK);
    assert.throws(
      () => deleteByCookie({ cookie: 0n, cookieMask: 0n }),
      (e) => isControllerError(e, 'WEIR_PIPELINE_COOKIE'),
    );
  });

  it('finds stale generations among installed cookies, leaving foreign cookies alone', () => {
    const c = (generation: number): bigint =>
      makeCookie({ generation, app: 'l2', owner: { kind: 'port', key: 1 } });
    assert.deepEqual(staleGenerations([c(4), c(2), 0n, 0x1234n, c(4), c(5), c(2)], 5), [2, 4]);
    assert.deepEqual(staleGenerations([c(5)], 5), []);
    assert.equal(parseCookie(0n), undefined);
    assert.equal(parseCookie(0x0003_ff_05_00000001n), undefined, 'unknown app');
    assert.equal(parseCookie(0x0003_04_ff_00000001n), undefined, 'unknown owner kind');
  });

  it('wraps generations past 65535 to 1, never 0', () => {
    assert.equal(nextGeneration(1), 2);
    assert.equal(nextGeneration(0xffff), 1);
    assert.equal(nextGeneration(0), 1);
  });

  it('refuses parts outside their widths', () => {
    const refused = (p: CookieParts): void =>
      assert.throws(
        () => makeCookie(p),
        (e) => isControllerError(e, 'WEIR_PIPELINE_COOKIE'),
      );
    const owner = { kind: 'port' as const, key: 1 };
    refused({ generation: 0, app: 'l2', owner });
    refused({ generation: 0x10000, app: 'l2', owner });
    refused({ generation: 1, app: 'nope' as AppName, owner });
    refused({ generation: 1, app: 'l2', owner: { kind: 'port', key: 2 ** 32 } });
    refused({ generation: 1, app: 'l2', owner: { kind: 'port', key: -1 } });
    refused({ generation: 1, app: 'l2', owner: { kind: 'planet' as OwnerKind, key: 1 } });
  });
});
