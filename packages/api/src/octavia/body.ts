// Request bodies of creates and updates, checked as Octavia's wsme layer checks them: the root key
// ("loadbalancer", "listener"…), unknown attributes (named with wsme's dotted argument path, e.g.
// "Unknown attribute for argument listener_.listener: foo"), each value converted and validated,
// mandatory ones present. An option Octavia has and Weir does not implement is accepted only with
// its default value and otherwise refused the way Octavia refuses a provider's missing feature
// (501 ProviderUnsupportedOptionError), never silently dropped.
import { badRequest, type HttpError } from '../http/http-error.js';
import { py } from '../neutron/validators.js';
import type { ApiObject } from '../neutron/resource.js';
import { unsupportedOption } from './errors.js';
import { Invalid, NestedInvalid, UnknownAttributes, type OType } from './types.js';

export interface OAttr {
  readonly type: OType;
  readonly mandatory?: boolean;
  /**
   * On update, what a null stands for (Octavia resets some fields to their default, clears others);
   * without it a null is refused as Octavia refuses it ("None is not a valid option for …").
   */
  readonly onNull?: unknown;
  /** An option Weir does not implement: only values `accepts` allows (its defaults) may be given. */
  readonly accepts?: (value: unknown) => boolean;
}

export type Attrs = Readonly<Record<string, OAttr>>;

export interface BodySpec {
  /** The controller's argument name in wsme's messages: "load_balancer", "listener_", "member_"… */
  readonly arg: string;
  /** The request body key: "loadbalancer", "listener"… */
  readonly root: string;
  readonly attrs: Attrs;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** wsme's InvalidInput. */
export function invalidInput(field: string, value: unknown, reason: string): HttpError {
  return badRequest(
    `Invalid input for field/attribute ${field}. Value: '${py(value)}'. ${reason}`,
    'InvalidInput',
  );
}

function unknownAttributes(path: readonly string[], keys: readonly string[]): HttpError {
  const noun = keys.length > 1 ? 'attributes' : 'attribute';
  return badRequest(`Unknown ${noun} for argument ${path.join('.')}: ${keys.join(', ')}`, 'UnknownAttribute');
}

/** The object under the root key; throws Octavia's 400s on anything malformed. */
export function rootObject(body: unknown, arg: string, root: string): unknown {
  if (!isObject(body)) throw badRequest('Request must be a JSON dict');
  const unknown = Object.keys(body).filter((k) => k !== root);
  if (unknown.length > 0) throw unknownAttributes([arg], unknown.sort());
  const inner = body[root];
  if (inner === undefined || inner === null) throw invalidInput(root, null, 'Mandatory field missing.');
  return inner;
}

/** Converts one value, mapping nested errors to wsme's messages. */
export function convert(spec: BodySpec, key: string, type: OType, value: unknown): unknown {
  try {
    return type(value);
  } catch (error) {
    if (error instanceof Invalid) throw invalidInput(key, value, error.message);
    if (error instanceof NestedInvalid) throw invalidInput(error.field, error.value, error.reason);
    if (error instanceof UnknownAttributes)
      throw unknownAttributes([spec.arg, spec.root, key, ...error.path], error.keys);
    throw error;
  }
}

/**
 * The checked attributes of one object of a create (`method` POST) or update (PUT). Absent
 * attributes are absent from the result (the resource applies Octavia's defaults); on update a
 * null becomes the attribute's `onNull`.
 */
export function parseAttrs(
  given: Record<string, unknown>,
  spec: BodySpec,
  method: 'POST' | 'PUT',
): ApiObject {
  const unknown = Object.keys(given).filter((k) => !Object.hasOwn(spec.attrs, k));
  if (unknown.length > 0) throw unknownAttributes([spec.arg, spec.root], unknown.sort());
  const out: ApiObject = {};
  for (const [key, attr] of Object.entries(spec.attrs)) {
    const value = given[key];
    if (value === undefined || value === null) {
      if (attr.mandatory) throw invalidInput(key, null, 'Mandatory field missing.');
      if (value === null && method === 'PUT') {
        if (!('onNull' in attr)) throw badRequest(`None is not a valid option for ${key}`, 'InvalidOption');
        out[key] = attr.onNull;
      }
      continue;
    }
    out[key] = convert(spec, key, attr.type, value);
  }
  for (const [key, attr] of Object.entries(spec.attrs)) {
    if (attr.accepts && key in out && !attr.accepts(out[key])) throw unsupportedOption(key);
  }
  return out;
}

/** A whole request body: `{<root>: {…}}`. */
export function parseBody(body: unknown, spec: BodySpec, method: 'POST' | 'PUT'): ApiObject {
  const inner = rootObject(body, spec.arg, spec.root);
  if (!isObject(inner)) throw invalidInput(spec.root, inner, 'Value should be a JSON object');
  return parseAttrs(inner, spec, method);
}

/** For `accepts`: the option's "off" values (null, false, 0, empty string, list or object). */
export function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).length === 0;
}
