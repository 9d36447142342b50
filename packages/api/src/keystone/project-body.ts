// Project request bodies checked as Keystone's JSON schema checks them (resource/schema.py), with
// jsonschema's messages. Hierarchies and projects acting as domains are not part of the facade:
// a parent other than the domain, or `is_domain: true`, is refused.
import { DEFAULT_DOMAIN } from './directory.js';
import { invalidField, pyRepr } from './errors.js';
import { HttpError } from '../http/http-error.js';
import type { ProjectInput, ProjectPatch } from './projects.js';

type Obj = Record<string, unknown>;

const badRequest = (message: string): HttpError => new HttpError(400, 'Bad Request', message);

function projectOf(body: unknown): Obj {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalidField(undefined, `${pyRepr(body)} is not of type 'object'`);
  const p = (body as Obj).project;
  if (p === undefined) throw invalidField(undefined, "'project' is a required property");
  if (typeof p !== 'object' || p === null || Array.isArray(p))
    throw invalidField('project', `${pyRepr(p)} is not of type 'object'`);
  return p as Obj;
}

function string(
  p: Obj,
  key: string,
  opts: { nullable?: boolean; min?: number; max?: number },
): string | undefined {
  const v = p[key];
  if (v === undefined || (v === null && opts.nullable)) return undefined;
  const field = `project/${key}`;
  if (typeof v !== 'string')
    throw invalidField(field, `${pyRepr(v)} is not of type 'string'${opts.nullable ? ", 'null'" : ''}`);
  if (opts.min !== undefined && v.length < opts.min) throw invalidField(field, `${pyRepr(v)} is too short`);
  if (opts.max !== undefined && v.length > opts.max) throw invalidField(field, `${pyRepr(v)} is too long`);
  return v;
}

function name(p: Obj): string | undefined {
  const v = string(p, 'name', { min: 1, max: 64 });
  if (v !== undefined && !/\S/.test(v))
    throw invalidField('project/name', `${pyRepr(v)} does not match '[\\\\S]+'`);
  return v;
}

function boolean(p: Obj, key: string): boolean | undefined {
  const v = p[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw invalidField(`project/${key}`, `${pyRepr(v)} is not of type 'boolean'`);
  return v;
}

function tags(p: Obj): string[] | undefined {
  const v = p.tags;
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw invalidField('project/tags', `${pyRepr(v)} is not of type 'array'`);
  // The store keeps at most 64 tags (Keystone: 80).
  if (v.length > 64) throw invalidField('project/tags', `${pyRepr(v)} is too long`);
  if (new Set(v).size !== v.length)
    throw invalidField('project/tags', `${pyRepr(v)} has non-unique elements`);
  v.forEach((t: unknown, i) => {
    const field = `project/tags/${i}`;
    if (typeof t !== 'string') throw invalidField(field, `${pyRepr(t)} is not of type 'string'`);
    if (t.length === 0) throw invalidField(field, `${pyRepr(t)} is too short`);
    if (t.length > 255) throw invalidField(field, `${pyRepr(t)} is too long`);
    if (/[,/]/.test(t)) throw invalidField(field, `${pyRepr(t)} does not match '^[^,/]*$'`);
  });
  return v as string[];
}

function common(p: Obj): ProjectPatch {
  const n = name(p);
  // Keystone's descriptions are unbounded; the store keeps 255 characters.
  const description = string(p, 'description', { nullable: true, max: 255 });
  const enabled = boolean(p, 'enabled');
  const t = tags(p);
  if (boolean(p, 'is_domain') === true)
    throw badRequest('Projects acting as domains are not supported here.');
  string(p, 'domain_id', { nullable: true });
  string(p, 'parent_id', { nullable: true });
  return {
    ...(n === undefined ? {} : { name: n }),
    ...(description === undefined ? (p.description === null ? { description: '' } : {}) : { description }),
    ...(enabled === undefined ? {} : { enabled }),
    ...(t === undefined ? {} : { tags: t }),
  };
}

export function createBody(body: unknown): ProjectInput {
  const p = projectOf(body);
  if (p.name === undefined) throw invalidField('project', "'name' is a required property");
  const fields = common(p);
  const domainId = typeof p.domain_id === 'string' ? p.domain_id : DEFAULT_DOMAIN.id;
  // What Keystone says when the domain or the parent does not exist (a ValidationError).
  if (domainId !== DEFAULT_DOMAIN.id) throw badRequest(`Could not find domain: ${domainId}.`);
  if (typeof p.parent_id === 'string' && p.parent_id !== domainId)
    throw badRequest(`Could not find project: ${p.parent_id}.`);
  return { ...fields, name: fields.name as string, domainId };
}

export function updateBody(body: unknown, current: { domainId: string }): ProjectPatch {
  const p = projectOf(body);
  if (Object.keys(p).length === 0) throw invalidField('project', '{} does not have enough properties');
  const fields = common(p);
  if (p.domain_id !== undefined && p.domain_id !== current.domainId)
    throw badRequest('Update of `domain_id` is not allowed.');
  if (p.parent_id !== undefined && p.parent_id !== current.domainId)
    throw badRequest('Update of `parent_id` is not allowed.');
  if (p.is_domain !== undefined && p.is_domain !== false)
    throw badRequest('Update of `is_domain` is not allowed.');
  return fields;
}
