// Who is calling, as the API layer sees it. A Principal is a core Actor (project + admin) plus
// the Keystone identity and roles, so policy that core does not know (read-only roles) is
// enforced here.
import type { IncomingHttpHeaders } from 'node:http';
import type { Actor } from '@weir/core';

export interface Principal extends Actor {
  readonly userId: string;
  readonly roles: readonly string[];
  /** Only the reader role: may list and show, never change anything. */
  readonly readOnly: boolean;
}

export interface Authenticator {
  /** Resolves the caller of a request or throws an HttpError 401. */
  authenticate(headers: IncomingHttpHeaders): Promise<Principal>;
}

export function principalFromRoles(userId: string, projectId: string, roles: readonly string[]): Principal {
  const admin = roles.includes('admin');
  return {
    userId,
    projectId,
    roles,
    admin,
    readOnly: !admin && !roles.includes('member'),
  };
}

/**
 * `--auth none`: every request is the admin of one default project, which is what
 * `openstack --os-auth-type none --os-endpoint URL` expects.
 */
export function noAuth(defaultProjectId: string): Authenticator {
  const principal = principalFromRoles('admin', defaultProjectId, ['admin', 'member', 'reader']);
  return { authenticate: () => Promise.resolve(principal) };
}
