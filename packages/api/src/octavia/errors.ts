// Octavia's errors: the wsme fault body {"faultcode", "faultstring", "debuginfo"} (octaviaclient
// prints faultstring verbatim), Octavia's exception wording (octavia/common/exceptions.py), and the
// translation of the few core errors that carry Neutron's vocabulary (quotas, VIP addresses from the
// port service) into what Octavia answers instead.
import { isWeirError } from '@weir/model';
import { unauthorizedBody } from '../auth/hook.js';
import type { RenderedError } from '../http/app.js';
import { HttpError, toHttpError } from '../http/http-error.js';

/** Weir's provider name, in Octavia's provider-driver messages. */
export const PROVIDER = 'weir';

export function renderOctaviaError(error: HttpError, identityUrl: string): RenderedError {
  if (error.status === 401) return unauthorizedBody(identityUrl);
  return {
    body: {
      faultcode: error.status >= 500 ? 'Server' : 'Client',
      faultstring: error.message,
      debuginfo: null,
    },
  };
}

/** NotFound: "<Resource> <id> not found." */
export function notFound(resource: string, id: string): HttpError {
  return new HttpError(404, 'NotFound', `${resource} ${id} not found.`);
}

/** PolicyForbidden (403). */
export function policyForbidden(): HttpError {
  return new HttpError(403, 'PolicyForbidden', 'Policy does not allow this request to be performed.');
}

/** ValidationException (400). */
export function validationFailure(detail: string): HttpError {
  return new HttpError(400, 'ValidationException', `Validation failure: ${detail}`);
}

/** ProviderUnsupportedOptionError (501): an option Octavia has and Weir does not implement. */
export function unsupportedOption(what: string): HttpError {
  return new HttpError(
    501,
    'ProviderUnsupportedOptionError',
    `Provider '${PROVIDER}' does not support a requested option: ${what}`,
  );
}

/** ProviderNotImplementedError (501): an action Weir has no use for (failover: no amphorae). */
export function notImplemented(what: string): HttpError {
  return new HttpError(
    501,
    'ProviderNotImplementedError',
    `Provider '${PROVIDER}' does not support a requested action: ${what}`,
  );
}

/** Octavia's names of its quota resources (QuotaException). */
const QUOTA_RESOURCES: Readonly<Record<string, string>> = {
  loadbalancer: 'Load Balancer',
  listener: 'Listener',
  pool: 'Pool',
  member: 'Member',
  healthmonitor: 'Health Monitor',
};

/**
 * Any error a handler throws, as Octavia would answer it. Core's load-balancer errors already carry
 * Octavia's wording; quota and VIP-port errors come from shared core code in Neutron's words.
 */
export function toOctaviaError(error: unknown): HttpError {
  if (isWeirError(error)) {
    if (error.kind === 'OverQuota') {
      const resource = /\['([a-z_]+)'\]/.exec(error.message)?.[1] ?? '';
      const name = QUOTA_RESOURCES[resource];
      if (name) return new HttpError(403, 'QuotaException', `Quota has been met for resources: ${name}`);
    }
    if (error.kind === 'IpAddressAlreadyAllocated')
      return new HttpError(
        409,
        'VIPAddressConflict',
        `The VIP IP address is already in use: ${error.message}`,
      );
  }
  return toHttpError(error);
}
