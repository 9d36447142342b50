// Neutron trunks over HTTP: CRUD, the add_subports / remove_subports / get_subports member
// actions, trunk_details on the parent port, and Neutron's refusals (segmentation id clash,
// parent already a trunk, port already a subport, deletes of trunk ports, disabled trunk).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asProject, startTestServer, type TestServer } from './helpers/server.js';
import type { Many, NetworkView, One, PortView, SubportView, TrunkView } from './helpers/wire.js';

type Trunk = One<'trunk', TrunkView>;
type Trunks = Many<'trunks', TrunkView>;
type Port = One<'port', PortView>;

describe('Neutron trunks', () => {
  let s: TestServer;
  let networkId: string;
  before(async () => {
    s = await startTestServer();
    const n = await s.neutron<One<'network', NetworkView>>('POST', '/v2.0/networks', { network: {} });
    networkId = n.body.network.id;
    const sub = await s.neutron('POST', '/v2.0/subnets', {
      subnet: { network_id: networkId, ip_version: 4, cidr: '10.0.0.0/24' },
    });
    assert.equal(sub.status, 201, sub.text);
  });
  after(async () => {
    await s.close();
  });
  const port = async (extra: Record<string, unknown> = {}): Promise<PortView> => {
    const r = await s.neutron<Port>('POST', '/v2.0/ports', { port: { network_id: networkId, ...extra } });
    assert.equal(r.status, 201, r.text);
    return r.body.port;
  };
  const trunk = async (body: Record<string, unknown>): Promise<TrunkView> => {
    const r = await s.neutron<Trunk>('POST', '/v2.0/trunks', { trunk: body });
    assert.equal(r.status, 201, r.text);
    return r.body.trunk;
  };
  const vlan = (portId: string, id: number): SubportView => ({
    port_id: portId,
    segmentation_type: 'vlan',
    segmentation_id: id,
  });

  it('create, show, list by parent, update, delete', async () => {
    const parent = await port();
    const child = await port();
    const t = await trunk({ port_id: parent.id, name: 't1', sub_ports: [vlan(child.id, 100)] });
    assert.equal(t.name, 't1');
    assert.equal(t.port_id, parent.id);
    assert.equal(t.status, 'DOWN');
    assert.equal(t.admin_state_up, true);
    assert.deepEqual(t.sub_ports, [vlan(child.id, 100)]);
    assert.deepEqual((await s.neutron<Trunk>('GET', `/v2.0/trunks/${t.id}`)).body.trunk, t);
    const listed = await s.neutron<Trunks>('GET', `/v2.0/trunks?port_id=${parent.id}`);
    assert.deepEqual(
      listed.body.trunks.map((x) => x.id),
      [t.id],
    );
    const u = await s.neutron<Trunk>('PUT', `/v2.0/trunks/${t.id}`, {
      trunk: { name: 't1b', description: 'd' },
    });
    assert.equal(u.status, 200, u.text);
    assert.equal(u.body.trunk.name, 't1b');
    const ro = await s.neutron('PUT', `/v2.0/trunks/${t.id}`, { trunk: { sub_ports: [] } });
    assert.equal(ro.status, 400);
    assert.equal(ro.error?.message, 'Cannot update read-only attribute sub_ports');
    assert.equal((await s.neutron('DELETE', `/v2.0/trunks/${t.id}`)).status, 204);
    const gone = await s.neutron('GET', `/v2.0/trunks/${t.id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.error?.type, 'TrunkNotFound');
    // Both ports are free again: the subport can be deleted now.
    assert.equal((await s.neutron('DELETE', `/v2.0/ports/${child.id}`)).status, 204);
  });

  it('add_subports, get_subports, remove_subports; trunk_details on the parent', async () => {
    const parent = await port();
    const [a, b] = [await port(), await port()];
    const t = await trunk({ port_id: parent.id });
    const added = await s.neutron<TrunkView>('PUT', `/v2.0/trunks/${t.id}/add_subports`, {
      sub_ports: [vlan(a.id, 10), { ...vlan(b.id, 11), segmentation_id: '11' }],
    });
    assert.equal(added.status, 200, added.text);
    // The response is the trunk itself, not wrapped.
    assert.equal(added.body.id, t.id);
    assert.deepEqual(added.body.sub_ports, [vlan(a.id, 10), vlan(b.id, 11)]);
    const got = await s.neutron<{ sub_ports: SubportView[] }>('GET', `/v2.0/trunks/${t.id}/get_subports`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, { sub_ports: [vlan(a.id, 10), vlan(b.id, 11)] });

    const details = (await s.neutron<Port>('GET', `/v2.0/ports/${parent.id}`)).body.port.trunk_details;
    assert.deepEqual(details, {
      trunk_id: t.id,
      sub_ports: [
        { ...vlan(a.id, 10), mac_address: a.mac_address },
        { ...vlan(b.id, 11), mac_address: b.mac_address },
      ],
    });
    const inList = await s.neutron<Many<'ports', PortView>>('GET', `/v2.0/ports?id=${parent.id}&id=${a.id}`);
    const byId = new Map(inList.body.ports.map((p) => [p.id, p]));
    assert.equal(byId.get(parent.id)?.trunk_details?.trunk_id, t.id);
    assert.equal(byId.get(a.id)?.trunk_details, undefined);

    const removed = await s.neutron<TrunkView>('PUT', `/v2.0/trunks/${t.id}/remove_subports`, {
      sub_ports: [{ port_id: a.id }],
    });
    assert.equal(removed.status, 200, removed.text);
    assert.deepEqual(removed.body.sub_ports, [vlan(b.id, 11)]);
    const again = await s.neutron('PUT', `/v2.0/trunks/${t.id}/remove_subports`, {
      sub_ports: [{ port_id: a.id }],
    });
    assert.equal(again.status, 404);
    assert.equal(again.error?.type, 'SubPortNotFound');
    assert.equal(again.error?.message, `SubPort ${a.id} on trunk ${t.id} could not be found.`);
    const unknown = await s.neutron('GET', '/v2.0/trunks/1b4b0e37-6a0c-4c55-9d1c-0e5f8a6b7c01/get_subports');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.error?.type, 'TrunkNotFound');
  });

  it("refuses clashes and misuse with Neutron's errors", async () => {
    const parent = await port();
    const [a, b, c] = [await port(), await port(), await port()];
    const t = await trunk({ port_id: parent.id, sub_ports: [vlan(a.id, 100)] });

    const clash = await s.neutron('PUT', `/v2.0/trunks/${t.id}/add_subports`, {
      sub_ports: [vlan(b.id, 100)],
    });
    assert.equal(clash.status, 409, clash.text);
    assert.equal(clash.error?.type, 'DuplicateSubPort');
    assert.equal(
      clash.error?.message,
      `segmentation_type vlan and segmentation_id 100 already in use on trunk ${t.id}.`,
    );
    const parentAgain = await s.neutron('POST', '/v2.0/trunks', { trunk: { port_id: parent.id } });
    assert.equal(parentAgain.status, 409);
    assert.equal(parentAgain.error?.type, 'ParentPortInUse');
    assert.equal(
      parentAgain.error?.message,
      `Port ${parent.id} is currently in use and is not eligible for use as a parent port.`,
    );
    const subAsParent = await s.neutron('POST', '/v2.0/trunks', { trunk: { port_id: a.id } });
    assert.equal(subAsParent.status, 409);
    assert.equal(subAsParent.error?.type, 'TrunkPortInUse');
    const other = await trunk({ port_id: c.id });
    const taken = await s.neutron('PUT', `/v2.0/trunks/${other.id}/add_subports`, {
      sub_ports: [vlan(a.id, 5)],
    });
    assert.equal(taken.status, 409);
    assert.equal(taken.error?.type, 'TrunkPortInUse');
    assert.equal(taken.error?.message, `Port ${a.id} is in use by another trunk.`);

    const badRequests: [string, unknown, string][] = [
      [
        'POST',
        { trunk: { port_id: b.id, sub_ports: [vlan(a.id, 1), vlan(a.id, 2)] } },
        `Invalid input for sub_ports. Reason: Non unique UUID for subport: '${a.id}'.`,
      ],
      [
        'POST',
        { trunk: { port_id: b.id, sub_ports: [vlan(a.id, 7), { ...vlan(c.id, 7) }] } },
        `Invalid input for sub_ports. Reason: Segmentation ID '7' for '${c.id}' is not unique.`,
      ],
      [
        'ADD',
        { sub_ports: [vlan(b.id, 5000)] },
        "Invalid input for operation: Segmentation ID '5000' is not in range.",
      ],
      [
        'ADD',
        { sub_ports: [{ port_id: b.id }] },
        `Invalid input for operation: Invalid subport details '{'port_id': '${b.id}'}': missing segmentation information. Must specify both segmentation_id and segmentation_type.`,
      ],
      [
        'ADD',
        { sub_ports: [{ ...vlan(b.id, 5), segmentation_type: 'vxlan' }] },
        "Invalid input for operation: Unknown segmentation_type 'vxlan'.",
      ],
      [
        'ADD',
        { sub_ports: 'x' },
        "Invalid input for operation: Invalid data format for subports: 'x' is not a list.",
      ],
    ];
    for (const [kind, body, message] of badRequests) {
      const r =
        kind === 'POST'
          ? await s.neutron('POST', '/v2.0/trunks', body)
          : await s.neutron('PUT', `/v2.0/trunks/${t.id}/add_subports`, body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.equal(r.error?.message, message);
    }

    // Ports of a trunk cannot be deleted directly.
    const delParent = await s.neutron('DELETE', `/v2.0/ports/${parent.id}`);
    assert.equal(delParent.status, 409);
    assert.equal(delParent.error?.type, 'PortInUseAsTrunkParent');
    assert.equal(delParent.error?.message, `Port ${parent.id} is currently a parent port for trunk ${t.id}.`);
    const delSub = await s.neutron('DELETE', `/v2.0/ports/${a.id}`);
    assert.equal(delSub.status, 409);
    assert.equal(delSub.error?.type, 'PortInUseAsSubPort');

    // A disabled trunk cannot be managed.
    const off = await s.neutron('PUT', `/v2.0/trunks/${t.id}`, { trunk: { admin_state_up: false } });
    assert.equal(off.status, 200);
    const disabled = await s.neutron('PUT', `/v2.0/trunks/${t.id}/add_subports`, {
      sub_ports: [vlan(b.id, 9)],
    });
    assert.equal(disabled.status, 409);
    assert.equal(disabled.error?.type, 'TrunkDisabled');
    assert.equal(disabled.error?.message, `Trunk ${t.id} is currently disabled.`);
  });

  it('other projects neither see nor change a trunk; readers may not act on it', async () => {
    const parent = await port();
    const child = await port();
    const t = await trunk({ port_id: parent.id });
    const bob = asProject('b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0');
    assert.equal((await s.neutron('GET', `/v2.0/trunks/${t.id}`, undefined, bob)).status, 404);
    assert.deepEqual((await s.neutron<Trunks>('GET', '/v2.0/trunks', undefined, bob)).body.trunks, []);
    const add = await s.neutron(
      'PUT',
      `/v2.0/trunks/${t.id}/add_subports`,
      { sub_ports: [vlan(child.id, 3)] },
      bob,
    );
    assert.equal(add.status, 404);
    const reader = asProject('b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0', ['reader']);
    const ro = await s.neutron(
      'PUT',
      `/v2.0/trunks/${t.id}/add_subports`,
      { sub_ports: [vlan(child.id, 3)] },
      reader,
    );
    assert.equal(ro.status, 403);
    assert.equal(ro.error?.message, '(rule:add_subports) is disallowed by policy');
  });

  it('If-Match on trunk update and delete; tags', async () => {
    const t = await trunk({ port_id: (await port()).id, tags: ['x'] });
    assert.deepEqual(t.tags, ['x']);
    const stale = { 'if-match': `revision_number=${t.revision_number + 1000}` };
    assert.equal(
      (await s.neutron('PUT', `/v2.0/trunks/${t.id}`, { trunk: { name: 'n' } }, stale)).status,
      412,
    );
    assert.equal((await s.neutron('DELETE', `/v2.0/trunks/${t.id}`, undefined, stale)).status, 412);
    assert.equal((await s.neutron('PUT', `/v2.0/trunks/${t.id}/tags/y`)).status, 201);
    const tagged = await s.neutron<Trunks>('GET', '/v2.0/trunks?tags=x,y');
    assert.deepEqual(
      tagged.body.trunks.map((x) => x.id),
      [t.id],
    );
  });
});
