// The 64-bit OpenFlow cookie of every flow Weir installs says who wants the flow and since when
// (after Antrea's pkg/agent/openflow/cookie/allocator.go, and Dragonflow's aging app):
//
//   63            48 47      40 39      32 31                              0
//   +---------------+----------+----------+--------------------------------+
//   |  generation   |   app    | owner    |           owner key            |
//   |   (16 bits)   | (8 bits) | kind (8) |           (32 bits)            |
//   +---------------+----------+----------+--------------------------------+
//
// - owner key, 32 bits: the northbound object's uniqueKey, which the store allocates as a 32-bit
//   number (the same number the registers carry), so no lookup table is needed to go from a
//   flow to its object.
// - owner kind, 8 bits: unique keys are unique per table only (a port and a network may both be
//   key 5), so the kind of object says which table the key belongs to.
// - app, 8 bits: the owning app (apps.ts: fixed numbers, 0 = not Weir's). Lets `weir flows --app`
//   filter, and an app that is switched off have its flows removed with one masked delete.
// - generation, 16 bits: bumped on every controller start. The controller never flushes the
//   bridge: it installs the full desired state under the new generation (an add of an existing
//   match+priority replaces it in place, so traffic never sees a gap), and only after that first
//   full sync removes the flows still carrying an older generation. 16 bits wrap after 65,535
//   restarts; generation 0 is never used, so cookie 0 (hand-made flows) is never swept as ours.
//
// Sweep, delete-by-app and delete-by-owner are masked cookie matches (OpenFlow 1.3 flow-mod
// delete with cookie/cookie_mask), so each is one message, whatever the number of flows.
import { ControllerError } from '../errors.js';
import { APP_IDS, appById, type AppName } from './apps.js';

export const GENERATION_BITS = 16;
export const APP_BITS = 8;
export const OWNER_KIND_BITS = 8;
export const OWNER_KEY_BITS = 32;

const KEY_SHIFT = 0n;
const KIND_SHIFT = 32n;
const APP_SHIFT = 40n;
const GENERATION_SHIFT = 48n;

export const OWNER_KEY_MASK = 0xffff_ffffn << KEY_SHIFT;
export const OWNER_KIND_MASK = 0xffn << KIND_SHIFT;
export const APP_MASK = 0xffn << APP_SHIFT;
export const GENERATION_MASK = 0xffffn << GENERATION_SHIFT;

/** Kinds of owner, with stable numbers for the same reason as app numbers (apps.ts). */
export const OWNER_KINDS = {
  /** A table's miss flow: key = the table's OpenFlow number. */
  table: 1,
  chassis: 2,
  network: 3,
  subnet: 4,
  port: 5,
  router: 6,
  'security-group': 7,
  'floating-ip': 8,
  'load-balancer': 9,
  trunk: 10,
} as const;

export type OwnerKind = keyof typeof OWNER_KINDS;

/** The object a flow exists for. Deleting the object deletes exactly its flows. */
export interface CookieOwner {
  readonly kind: OwnerKind;
  /** The object's uniqueKey (32 bits). */
  readonly key: number;
}

export interface CookieParts {
  readonly generation: number;
  readonly app: AppName;
  readonly owner: CookieOwner;
}

/** A cookie and the mask that selects flows by it (OpenFlow flow-mod delete / flow stats). */
export interface CookieSelector {
  readonly cookie: bigint;
  readonly cookieMask: bigint;
}

function cookieError(message: string, subject: string): ControllerError {
  return new ControllerError('WEIR_PIPELINE_COOKIE', message, { subject, rule: 'cookie' });
}

function checkGeneration(generation: number): void {
  if (!Number.isInteger(generation) || generation < 1 || generation >= 2 ** GENERATION_BITS) {
    throw cookieError(`generation ${generation} is outside 1..${2 ** GENERATION_BITS - 1}`, 'generation');
  }
}

function checkOwner(owner: CookieOwner | undefined): asserts owner is CookieOwner {
  if (owner === undefined || owner === null || typeof owner !== 'object') {
    throw cookieError('a flow needs a cookie owner (the object it exists for)', 'owner');
  }
  if (!Object.hasOwn(OWNER_KINDS, owner.kind)) {
    throw cookieError(`unknown owner kind "${String(owner.kind)}"`, 'owner.kind');
  }
  if (!Number.isInteger(owner.key) || owner.key < 0 || owner.key >= 2 ** OWNER_KEY_BITS) {
    throw cookieError(`owner key ${owner.key} does not fit ${OWNER_KEY_BITS} bits`, 'owner.key');
  }
}

function appBits(app: AppName): bigint {
  if (!Object.hasOwn(APP_IDS, app)) throw cookieError(`unknown app "${String(app)}"`, 'app');
  return BigInt(APP_IDS[app]) << APP_SHIFT;
}

function ownerBits(owner: CookieOwner): bigint {
  return (BigInt(OWNER_KINDS[owner.kind]) << KIND_SHIFT) | (BigInt(owner.key) << KEY_SHIFT);
}

export function makeCookie(parts: CookieParts): bigint {
  checkGeneration(parts.generation);
  checkOwner(parts.owner);
  return (BigInt(parts.generation) << GENERATION_SHIFT) | appBits(parts.app) | ownerBits(parts.owner);
}

/** The parts of a Weir cookie; undefined for a cookie Weir did not make (unknown app, kind, gen 0). */
export function parseCookie(cookie: bigint): CookieParts | undefined {
  const generation = Number((cookie & GENERATION_MASK) >> GENERATION_SHIFT);
  const app = appById(Number((cookie & APP_MASK) >> APP_SHIFT));
  const kindId = Number((cookie & OWNER_KIND_MASK) >> KIND_SHIFT);
  const kind = (Object.keys(OWNER_KINDS) as OwnerKind[]).find((k) => OWNER_KINDS[k] === kindId);
  if (generation === 0 || app === undefined || kind === undefined) return undefined;
  return { generation, app, owner: { kind, key: Number(cookie & OWNER_KEY_MASK) } };
}

/** Every flow of one generation — the sweep after the first full sync deletes these. */
export function generationSelector(generation: number): CookieSelector {
  checkGeneration(generation);
  return { cookie: BigInt(generation) << GENERATION_SHIFT, cookieMask: GENERATION_MASK };
}

/** Every flow of one app, whatever its generation and owner. */
export function appSelector(app: AppName): CookieSelector {
  return { cookie: appBits(app), cookieMask: APP_MASK };
}

/**
 * Every flow one app installed for one object, whatever the generation (the owner's flows from
 * before a restart go too). Without `app`: every app's flows for that object.
 */
export function ownerSelector(owner: CookieOwner, app?: AppName): CookieSelector {
  checkOwner(owner);
  const cookie = ownerBits(owner) | (app === undefined ? 0n : appBits(app));
  const cookieMask = OWNER_KIND_MASK | OWNER_KEY_MASK | (app === undefined ? 0n : APP_MASK);
  return { cookie, cookieMask };
}

/** The generation after `generation`, wrapping past 65,535 to 1 (0 is never a Weir generation). */
export function nextGeneration(generation: number): number {
  return generation >= 2 ** GENERATION_BITS - 1 || generation < 1 ? 1 : generation + 1;
}

/**
 * Generations other than `current` among installed cookies, in ascending order: what the sweep
 * deletes (one masked delete each). Cookies that are not Weir's (0, hand-made) are left alone.
 * Reading them from the switch, rather than remembering "the previous generation", also catches
 * flows a crash in the middle of an earlier sweep left behind.
 */
export function staleGenerations(cookies: Iterable<bigint>, current: number): number[] {
  const stale = new Set<number>();
  for (const c of cookies) {
    const parts = parseCookie(c);
    if (parts !== undefined && parts.generation !== current) stale.add(parts.generation);
  }
  return [...stale].sort((a, b) => a - b);
}
