// Masked deletes for the cookie selectors of cookies.ts: one flow-mod removes every flow of a
// generation (the sweep after the first full sync), of an app, or of an owner — in all tables.
import { flowMod, OFPTT_ALL, type FlowMod } from '@weir/openflow';
import { ControllerError } from '../errors.js';
import type { CookieSelector } from '../pipeline/cookies.js';

/**
 * A non-strict delete, in every table, of the flows whose cookie matches `selector`. A zero mask
 * would match every flow on the bridge, hand-made ones included: Weir never flushes, so it is refused.
 */
export function deleteByCookie(selector: CookieSelector): FlowMod {
  if (selector.cookieMask === 0n) {
    throw new ControllerError('WEIR_PIPELINE_COOKIE', 'a delete with cookie mask 0 would flush the bridge', {
      subject: 'cookieMask',
      rule: 'cookie',
    });
  }
  return flowMod({
    command: 'delete',
    tableId: OFPTT_ALL,
    cookie: selector.cookie,
    cookieMask: selector.cookieMask,
  });
}
