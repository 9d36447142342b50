// external_gateway_info of routers (neutron-lib l3.py with l3_ext_gw_mode.py's enable_snat):
// checked like neutron-lib's dict_or_nodata, shown with the gateway port's addresses, and the
// policy Neutron puts on its sub-attributes (enable_snat and external_fixed_ips are admin-only).
import type { GatewayInput } from '@weir/core';
import type { FixedIpT, Router } from '@weir/model';
import type { Principal } from '../../auth/principal.js';
import { HttpError } from '../../http/http-error.js';
import type { ApiObject } from '../resource.js';
import { boolean, Invalid, py, uuid, type Check } from '../validators.js';
import { fixedIps } from './port-checks.js';

const KEYS = ['network_id', 'enable_snat', 'external_fixed_ips'];

function setRepr(keys: readonly string[]): string {
  return keys.length === 0 ? 'set()' : `{${keys.map((k) => `'${k}'`).join(', ')}}`;
}

/** null or an empty dict: no gateway (an update with either clears it). */
export const gatewayInfo: Check = (v) => {
  if (v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw new Invalid(`'${py(v)}' is not a dictionary`);
  const given = v as Record<string, unknown>;
  const keys = Object.keys(given);
  if (keys.length === 0) return null;
  if (!('network_id' in given)) {
    throw new Invalid(
      `Validation of dictionary's keys failed. Expected keys: {'network_id'} Provided keys: ${setRepr(keys)}`,
    );
  }
  const unexpected = keys.filter((k) => !KEYS.includes(k));
  if (unexpected.length > 0) throw new Invalid(`Unexpected keys supplied: ${unexpected.join(', ')}`);
  const out: GatewayInput = {
    networkId: uuid(given.network_id) as string,
    ...('enable_snat' in given ? { enableSnat: boolean(given.enable_snat) as boolean } : {}),
    ...('external_fixed_ips' in given
      ? {
          externalFixedIps: fixedIps(given.external_fixed_ips) as NonNullable<
            GatewayInput['externalFixedIps']
          >,
        }
      : {}),
  };
  return out;
};

/** Neutron's policy: only admins choose SNAT or the gateway's addresses. */
export function checkGatewayPolicy(
  principal: Principal,
  action: 'create' | 'update',
  gw: GatewayInput | null | undefined,
): void {
  if (principal.admin || !gw) return;
  const denied =
    gw.enableSnat !== undefined
      ? 'enable_snat'
      : gw.externalFixedIps !== undefined
        ? 'external_fixed_ips'
        : undefined;
  if (denied !== undefined) {
    throw new HttpError(
      403,
      'PolicyNotAuthorized',
      `(rule:${action}_router:external_gateway_info:${denied}) is disallowed by policy`,
    );
  }
}

export function gatewayView(router: Router, gatewayIps: readonly FixedIpT[]): ApiObject | null {
  const gw = router.externalGateway;
  if (!gw) return null;
  return {
    network_id: gw.networkId,
    enable_snat: gw.enableSnat,
    external_fixed_ips: gatewayIps.map((f) => ({ subnet_id: f.subnetId, ip_address: f.ipAddress })),
  };
}
