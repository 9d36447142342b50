// What tempest expects to exist before it starts, made through the public APIs as an operator
// would: an external network with a subnet (tempest's `public_network_id`, for routers' gateways
// and floating IPs), and the list of extension aliases the network API says it implements
// (tempest decides from it which tests to run).
import type { Account } from './accounts.js';
import type { ServerUrls } from './server.js';

async function call(
  url: string,
  method: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { 'x-auth-token': token } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const json = (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
  return { status: res.status, json, headers: res.headers };
}

export async function adminToken(urls: ServerUrls, admin: Account): Promise<string> {
  const r = await call(`${urls.identity}/v3/auth/tokens`, 'POST', {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: admin.username, domain: { id: 'default' }, password: admin.password } },
      },
      scope: { project: { name: admin.project, domain: { id: 'default' } } },
    },
  });
  const token = r.headers.get('x-subject-token');
  if (r.status !== 201 || !token)
    throw new Error(`admin login failed: ${r.status} ${JSON.stringify(r.json)}`);
  return token;
}

export interface External {
  readonly networkId: string;
  readonly networkName: string;
  /** Why the subnet could not be made, if it could not (tempest then skips or fails FIP tests). */
  readonly subnetProblem?: string;
}

export async function createExternalNetwork(urls: ServerUrls, token: string): Promise<External> {
  const name = 'public';
  const n = await call(
    `${urls.network}/v2.0/networks`,
    'POST',
    { network: { name, 'router:external': true } },
    token,
  );
  if (n.status !== 201) throw new Error(`external network: ${n.status} ${JSON.stringify(n.json)}`);
  const networkId = (n.json.network as { id: string }).id;
  const s = await call(
    `${urls.network}/v2.0/subnets`,
    'POST',
    { subnet: { network_id: networkId, name: 'public-subnet', cidr: '172.24.4.0/24', ip_version: 4 } },
    token,
  );
  return s.status === 201
    ? { networkId, networkName: name }
    : { networkId, networkName: name, subnetProblem: `${s.status} ${JSON.stringify(s.json)}` };
}

export async function extensionAliases(urls: ServerUrls, token: string): Promise<string[]> {
  const r = await call(`${urls.network}/v2.0/extensions`, 'GET', undefined, token);
  if (r.status !== 200) throw new Error(`extensions: ${r.status}`);
  return (r.json.extensions as { alias: string }[]).map((e) => e.alias);
}
