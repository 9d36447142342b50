// Keystone's errors, with its wording. They render as {"error": {"code", "title", "message"}}, the
// title being the HTTP reason phrase (Python's http.client.responses). Security errors (401) never
// say why: Keystone tells the client nothing more unless it runs with insecure_debug.
import { HttpError } from '../http/http-error.js';

/** Python's http.client.responses for the statuses Keystone sends. */
export const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const error = (status: number, message: string): HttpError =>
  new HttpError(status, TITLES[status] ?? 'Error', message);

export const unauthorized = (): HttpError => error(401, 'The request you have made requires authentication.');

export const unsupportedMethod = (): HttpError =>
  error(401, 'Attempted to authenticate with an unsupported method.');

export const forbiddenAction = (action: string): HttpError =>
  error(403, `You are not authorized to perform the requested action: ${action}.`);

export const notFound = (what: string, id: string): HttpError => error(404, `Could not find ${what}: ${id}.`);

/** Keystone's ValidationError. */
export const expecting = (attribute: string, target: string): HttpError =>
  error(
    400,
    `Expecting to find ${attribute} in ${target}. The server could not comply with the request ` +
      'since it is either malformed or otherwise incorrect. The client is assumed to be in error.',
  );

/** Keystone's SchemaValidationError: jsonschema's message, prefixed with the field when there is one. */
export const invalidField = (field: string | undefined, message: string): HttpError =>
  error(400, field === undefined ? message : `Invalid input for field '${field}': ${message}`);

export const conflict = (type: string, details: string): HttpError =>
  error(409, `Conflict occurred attempting to store ${type} - ${details}.`);

/** A value as Python's repr() would show it in jsonschema's messages. */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
      .join(', ')}}`;
  return typeof value === 'bigint' ? value.toString() : typeof value;
}
