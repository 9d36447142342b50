// Projects in the northbound store's `project` table (the network and load-balancer APIs' topics
// are project ids). Names are unique per domain through a claim taken in the same commit as the
// create or rename, so two replicas creating "demo" at once cannot both succeed.
import { randomUUID } from 'node:crypto';
import { isoSeconds, withRetries, type CoreContext } from '@weir/core';
import { isWeirError, type Project } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import type { ConfiguredProject } from './directory.js';
import { conflict, notFound } from './errors.js';

const NAME_NAMESPACE = 'keystone-project-name';

const nameKey = (domainId: string, name: string): string => `${domainId}/${name}`;

function nameOp(kind: 'claim' | 'release', p: Pick<Project, 'id' | 'domainId' | 'name'>): WriteOp {
  return { kind, namespace: NAME_NAMESPACE, key: nameKey(p.domainId, p.name), owner: p.id };
}
const claimName = (p: Pick<Project, 'id' | 'domainId' | 'name'>): WriteOp => nameOp('claim', p);
const releaseName = (p: Pick<Project, 'id' | 'domainId' | 'name'>): WriteOp => nameOp('release', p);

function duplicate(name: string, domainId: string): Error {
  return conflict('project', `Duplicate entry found with name ${name} at domain ID ${domainId}`);
}

const isCode = (error: unknown, code: string): boolean => isWeirError(error) && error.code === code;

export interface ProjectInput {
  readonly name: string;
  readonly domainId: string;
  readonly description?: string;
  readonly enabled?: boolean;
  readonly tags?: readonly string[];
}

export type ProjectPatch = Partial<Omit<ProjectInput, 'domainId'>>;

async function newProject(ctx: CoreContext, id: string, input: ProjectInput): Promise<Project> {
  const now = isoSeconds(ctx.now());
  return {
    id,
    topic: id,
    version: 0,
    uniqueKey: await ctx.store.allocateUniqueKey('project'),
    name: input.name,
    description: input.description ?? '',
    tags: [...(input.tags ?? [])],
    createdAt: now,
    updatedAt: now,
    domainId: input.domainId,
    enabled: input.enabled ?? true,
  };
}

export async function createProject(ctx: CoreContext, input: ProjectInput): Promise<Project> {
  // Keystone's project ids: uuid4 hex (32 digits), which are also valid store topics.
  const project = await newProject(ctx, randomUUID().replace(/-/g, ''), input);
  try {
    const { written } = await ctx.store.commit([
      { kind: 'create', table: 'project', object: project },
      claimName(project),
    ]);
    return written[0] as Project;
  } catch (error) {
    if (isCode(error, 'WEIR_STORE_CLAIMED')) throw duplicate(input.name, input.domainId);
    throw error;
  }
}

/**
 * Creates the configured projects that the store does not have yet (every replica does this at
 * start; the first one wins). A project that exists is left as it is: the API may have renamed or
 * disabled it. A configured name taken by another project is a configuration error.
 */
export async function seedProjects(ctx: CoreContext, projects: readonly ConfiguredProject[]): Promise<void> {
  for (const p of projects) {
    if (await ctx.store.get('project', p.id)) continue;
    const project = await newProject(ctx, p.id, p);
    try {
      await ctx.store.commit([{ kind: 'create', table: 'project', object: project }, claimName(project)]);
    } catch (error) {
      if (isCode(error, 'WEIR_STORE_EXISTS')) continue;
      if (isCode(error, 'WEIR_STORE_CLAIMED')) {
        const owner = (await ctx.store.listClaims(NAME_NAMESPACE)).find(
          (c) => c.key === nameKey(p.domainId, p.name),
        )?.owner;
        if (owner === p.id) continue;
        throw new Error(
          `identity.projects: project '${p.name}' (id ${p.id}) cannot be created: its name belongs ` +
            `to project ${owner ?? '?'} in the store (delete or rename that one, or give this one its id)`,
          { cause: error },
        );
      }
      throw error;
    }
  }
}

export async function updateProject(ctx: CoreContext, id: string, patch: ProjectPatch): Promise<Project> {
  return withRetries(
    ctx,
    'update project',
    async () => {
      const old = await ctx.store.get('project', id);
      if (!old) throw notFound('project', id);
      const next: Project = {
        ...old,
        updatedAt: isoSeconds(ctx.now()),
        ...(patch.name === undefined ? {} : { name: patch.name }),
        ...(patch.description === undefined ? {} : { description: patch.description }),
        ...(patch.enabled === undefined ? {} : { enabled: patch.enabled }),
        ...(patch.tags === undefined ? {} : { tags: [...patch.tags] }),
      };
      const ops: WriteOp[] = [{ kind: 'update', table: 'project', object: next }];
      if (next.name !== old.name) ops.push(releaseName(old), claimName(next));
      try {
        return (await ctx.store.commit(ops)).written[0] as Project;
      } catch (error) {
        // A lost claim is a real duplicate only if someone else holds the new name now.
        if (isCode(error, 'WEIR_STORE_CLAIMED') && (await nameOwner(ctx, next)) !== id)
          throw duplicate(next.name, next.domainId);
        throw error;
      }
    },
    (error) => error.code !== 'WEIR_STORE_NOT_FOUND',
  ).catch((error: unknown) => {
    if (isCode(error, 'WEIR_STORE_NOT_FOUND')) throw notFound('project', id);
    throw error;
  });
}

async function nameOwner(ctx: CoreContext, p: Project): Promise<string | undefined> {
  const key = nameKey(p.domainId, p.name);
  return (await ctx.store.listClaims(NAME_NAMESPACE)).find((c) => c.key === key)?.owner;
}

export async function deleteProject(ctx: CoreContext, id: string): Promise<void> {
  await withRetries(ctx, 'delete project', async () => {
    const old = await ctx.store.get('project', id);
    if (!old) throw notFound('project', id);
    await ctx.store.commit([
      { kind: 'delete', table: 'project', id, expectedVersion: old.version },
      releaseName(old),
    ]);
  });
}

export async function listProjects(ctx: CoreContext): Promise<readonly Project[]> {
  return (await ctx.store.list('project')).items;
}

export async function readProject(ctx: CoreContext, id: string): Promise<Project> {
  const p = await ctx.store.get('project', id);
  if (!p) throw notFound('project', id);
  return p;
}
