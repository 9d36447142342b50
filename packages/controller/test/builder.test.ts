// Every rule of the contract check, one refusal each (and the flow that is accepted next to it,
// so a check that refuses everything fails too).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OFPP, type Action, type MatchEntry } from '@weir/openflow';
import {
  ArpResponderTable,
  ClassifierTable,
  ConntrackToPortTable,
  DhcpTable,
  DstPortKeyField,
  FloodTable,
  FromProviderMark,
  FromTunnelMark,
  L2LookupTable,
  LocalOutputTable,
  LoadBalancerTable,
  NetworkKeyField,
  PortSecurityDisabledMark,
  PortSecurityFromPortTable,
  SecurityGroupFromPortTable,
  SrcPortKeyField,
  TunnelOutputTable,
  conntrack,
  flowBuilder,
  isControllerError,
  loadRegister,
  makeCookie,
  matchMark,
  matchRegister,
  priority,
  registerSubfield,
  resubmit,
  setMark,
  type ControllerErrorCode,
  type CookieOwner,
  type FlowSpec,
  type PipelineTable,
  type Priority,
} from '../src/index.js';

const l2 = flowBuilder({ generation: 2, app: 'l2' });
const owner: CookieOwner = { kind: 'port', key: 17 };
// Overrides may clear a property (goto: undefined), which FlowSpec itself does not spell.
type Overrides = { [K in keyof FlowSpec]?: FlowSpec[K] | undefined };
const lookup = (over: Overrides = {}): FlowSpec =>
  ({
    table: L2LookupTable,
    priority: priority('normal'),
    owner,
    match: [matchRegister(NetworkKeyField, 5), { field: 'eth_dst', value: 'fa:16:3e:00:00:11' }],
    actions: [loadRegister(DstPortKeyField, 17)],
    goto: ConntrackToPortTable,
    ...over,
  }) as FlowSpec;

function refused(
  build: () => unknown,
  code: ControllerErrorCode,
  expect: { table?: string; subject?: string; rule?: string } = {},
): void {
  assert.throws(build, (e) => {
    assert.ok(isControllerError(e, code), `expected ${code}, got ${String(e)}`);
    for (const [k, v] of Object.entries(expect)) assert.equal(e.context[k as keyof typeof e.context], v, k);
    return true;
  });
}
const contract = (build: () => unknown, rule: string, subject: string, table = 'L2Lookup'): void =>
  refused(build, 'WEIR_PIPELINE_CONTRACT', { table, rule, subject });

describe('flow builder', () => {
  it('builds a checked flow-mod with table number, band priority and cookie', () => {
    const m = l2.flow(lookup());
    assert.equal(m.command, 'add');
    assert.equal(m.tableId, L2LookupTable.id);
    assert.equal(m.priority, 2000);
    assert.equal(m.cookie, makeCookie({ generation: 2, app: 'l2', owner }));
    assert.deepEqual(m.instructions, [
      { type: 'apply_actions', actions: [loadRegister(DstPortKeyField, 17)] },
      { type: 'goto_table', tableId: ConntrackToPortTable.id },
    ]);
  });

  it('owner: refuses a table the app does not own', () => {
    contract(
      () => l2.flow(lookup({ table: ClassifierTable, match: [], actions: [], goto: undefined })),
      'owner',
      'l2',
      'Classifier',
    );
  });

  it('table: refuses an object that is not a declared table', () => {
    const copy: PipelineTable = { ...L2LookupTable };
    refused(() => l2.flow(lookup({ table: copy })), 'WEIR_PIPELINE_UNKNOWN_TABLE', { subject: 'L2Lookup' });
  });

  it('match: refuses packet fields and register fields outside the contract', () => {
    contract(() => l2.flow(lookup({ match: [{ field: 'in_port', value: 1 }] })), 'match', 'in_port');
    contract(
      () => l2.flow(lookup({ match: [matchRegister(SrcPortKeyField, 1)] })),
      'match',
      'SrcPortKeyField',
    );
    contract(
      () => l2.flow(lookup({ match: [matchMark(PortSecurityDisabledMark)] })),
      'match',
      'PortSecurityDisabledMark',
    );
    // The marks the contract lists are fine.
    l2.flow(lookup({ match: [matchMark(FromTunnelMark), matchMark(FromProviderMark)] }));
  });

  it('match: refuses register bits no field declares, and unknown OXM fields', () => {
    contract(() => l2.flow(lookup({ match: [{ field: 'reg0', value: 1 }] })), 'match', 'reg0');
    contract(
      () => l2.flow(lookup({ match: [{ field: 'reg0', value: 0x10000, mask: 0x10000 }] })),
      'match',
      'reg0 bits 0x10000',
    );
    contract(() => l2.flow(lookup({ match: [{ field: 'reg9', value: 1 }] })), 'match', 'reg9');
    contract(() => l2.flow(lookup({ match: [{ field: 'metadata', value: 1n }] })), 'match', 'metadata');
    const unknown: MatchEntry = {
      field: 'unknown',
      oxmClass: 1,
      oxmField: 99,
      hasMask: false,
      payload: Buffer.alloc(4),
    };
    contract(() => l2.flow(lookup({ match: [unknown] })), 'match', 'unknown');
  });

  it('set: refuses writes outside the contract, however they are spelled', () => {
    const sets = (a: Action, subject: string): void =>
      contract(() => l2.flow(lookup({ actions: [a] })), 'set', subject);
    sets({ type: 'set_field', field: 'eth_src', value: 'fa:16:3e:00:00:01' }, 'eth_src');
    sets(loadRegister(SrcPortKeyField, 3), 'SrcPortKeyField');
    sets(setMark(FromTunnelMark), 'FromTunnelMark'); // may match it, may not set it
    sets({ type: 'load', dst: registerSubfield(NetworkKeyField), value: 6n }, 'NetworkKeyField');
    sets(
      { type: 'move', src: registerSubfield(NetworkKeyField), dst: registerSubfield(SrcPortKeyField) },
      'SrcPortKeyField',
    );
    sets({ type: 'dec_ttl' }, 'nw_ttl');
    sets({ type: 'push_vlan', ethertype: 0x8100 }, 'vlan_vid');
    sets({ type: 'pop_vlan' }, 'vlan_vid');
    contract(
      () =>
        l2.flow(
          lookup({
            actions: [
              { type: 'set_field', field: 'reg7', value: 0x10000, mask: 0x10000 },
              { type: 'set_field', field: 'reg2', value: 1 },
            ],
          }),
        ),
      'set',
      'reg2',
    );
  });

  it('read: refuses moves from undeclared register bits', () => {
    contract(
      () =>
        l2.flow(
          lookup({
            actions: [
              {
                type: 'move',
                src: { field: 'reg3', start: 0, nBits: 32 },
                dst: registerSubfield(DstPortKeyField),
              },
            ],
          }),
        ),
      'read',
      'reg3 bits 0xffffffff',
    );
  });

  it('jump: refuses goto, resubmit and ct(table) to tables the contract does not list', () => {
    contract(() => l2.flow(lookup({ goto: LocalOutputTable })), 'jump', 'LocalOutput');
    contract(() => l2.flow(lookup({ goto: DhcpTable })), 'jump', 'Dhcp');
    contract(
      () => l2.flow(lookup({ goto: undefined, actions: [resubmit(LocalOutputTable)] })),
      'jump',
      'LocalOutput',
    );
    contract(
      () => l2.flow(lookup({ goto: undefined, actions: [{ type: 'resubmit', table: 250 }] })),
      'jump',
      'table 250',
    );
    contract(() => l2.flow(lookup({ goto: undefined, actions: [{ type: 'resubmit' }] })), 'jump', 'resubmit');
    contract(
      () =>
        l2.flow(lookup({ goto: undefined, actions: [{ type: 'resubmit', port: 1, table: FloodTable.id }] })),
      'jump',
      'resubmit',
    );
    l2.flow(lookup({ goto: undefined, actions: [resubmit(TunnelOutputTable)] }));
  });

  it('capabilities: output, controller, group, ct, learn only where declared', () => {
    contract(
      () => l2.flow(lookup({ goto: undefined, actions: [{ type: 'output', port: 1 }] })),
      'output',
      'output',
    );
    contract(
      () => l2.flow(lookup({ goto: undefined, actions: [{ type: 'output', port: OFPP.IN_PORT }] })),
      'output',
      'output',
    );
    contract(
      () =>
        l2.flow(
          lookup({
            goto: undefined,
            actions: [{ type: 'output_reg', src: registerSubfield(DstPortKeyField) }],
          }),
        ),
      'output',
      'output_reg',
    );
    contract(
      () => l2.flow(lookup({ goto: undefined, actions: [{ type: 'controller' }] })),
      'controller',
      'controller',
    );
    contract(
      () => l2.flow(lookup({ goto: undefined, actions: [{ type: 'output', port: OFPP.CONTROLLER }] })),
      'controller',
      'output:CONTROLLER',
    );
    contract(
      () => l2.flow(lookup({ goto: undefined, actions: [{ type: 'group', groupId: 1 }] })),
      'group',
      'group',
    );
    contract(() => l2.flow(lookup({ goto: undefined, actions: [conntrack({ commit: true })] })), 'ct', 'ct');
    contract(() => l2.flow(lookup({ goto: undefined, actions: [{ type: 'ct_clear' }] })), 'ct', 'ct_clear');
    contract(
      () =>
        l2.flow(
          lookup({ goto: undefined, actions: [{ type: 'learn', table: L2LookupTable.id, specs: [] }] }),
        ),
      'learn',
      'learn',
    );
    contract(
      () =>
        l2.flow(
          lookup({ goto: undefined, actions: [{ type: 'raw', actionType: 0xffff, bytes: Buffer.alloc(8) }] }),
        ),
      'action',
      'raw',
    );
    // The same kinds where the contract allows them.
    flowBuilder({ generation: 2, app: 'classifier' }).flow({
      table: LocalOutputTable,
      priority: priority('normal'),
      owner,
      match: [matchRegister(DstPortKeyField, 17)],
      actions: [{ type: 'output', port: 1 }],
    });
    l2.flow({
      table: FloodTable,
      priority: priority('normal'),
      owner,
      actions: [{ type: 'group', groupId: 1 }],
    });
  });

  it('ct: checks the recirculation table, the zone source and the exec writes', () => {
    const sg = flowBuilder({ generation: 2, app: 'security-groups' });
    const spec = (actions: Action[]): FlowSpec => ({
      table: SecurityGroupFromPortTable,
      priority: priority('normal'),
      owner: { kind: 'security-group', key: 1 },
      actions,
    });
    sg.flow(
      spec([
        conntrack({
          commit: true,
          zone: registerSubfield(NetworkKeyField, { nBits: 16 }),
          table: LoadBalancerTable,
        }),
      ]),
    );
    contract(
      () => sg.flow(spec([conntrack({ table: LocalOutputTable })])),
      'jump',
      'LocalOutput',
      'SecurityGroupFromPort',
    );
    contract(
      () => sg.flow(spec([conntrack({ zone: { field: 'reg12', start: 0, nBits: 16 } })])),
      'read',
      'reg12 bits 0xffff',
      'SecurityGroupFromPort',
    );
    sg.flow(spec([conntrack({ commit: true, exec: [{ type: 'set_field', field: 'ct_mark', value: 1 }] })]));
    contract(
      () =>
        sg.flow(
          spec([
            conntrack({
              commit: true,
              exec: [{ type: 'set_field', field: 'eth_dst', value: '00:00:00:00:00:01' }],
            }),
          ]),
        ),
      'set',
      'eth_dst',
      'SecurityGroupFromPort',
    );
  });

  it('learn: only into a table of the same app', () => {
    const lb = flowBuilder({ generation: 2, app: 'load-balancer' });
    const spec = (table: number): FlowSpec => ({
      table: LoadBalancerTable,
      priority: priority('normal'),
      owner: { kind: 'load-balancer', key: 1 },
      actions: [{ type: 'learn', table, specs: [] }],
    });
    lb.flow(spec(LoadBalancerTable.id));
    contract(() => lb.flow(spec(L2LookupTable.id)), 'learn', `table ${L2LookupTable.id}`, 'LoadBalancer');
  });

  it('group: checks buckets against the contract of the table that uses it', () => {
    const g = l2.group({
      table: FloodTable,
      owner: { kind: 'network', key: 5 },
      groupId: 5,
      groupType: 'all',
      buckets: [{ actions: [loadRegister(DstPortKeyField, 17), resubmit(ConntrackToPortTable)] }],
    });
    assert.equal(g.mod.groupId, 5);
    assert.deepEqual(g.owner, { kind: 'network', key: 5 });
    contract(
      () =>
        l2.group({
          table: FloodTable,
          owner: { kind: 'network', key: 5 },
          groupId: 5,
          groupType: 'all',
          buckets: [{ actions: [resubmit(LocalOutputTable)] }],
        }),
      'jump',
      'LocalOutput',
      'Flood',
    );
    contract(
      () => l2.group({ table: L2LookupTable, owner, groupId: 1, groupType: 'all', buckets: [] }),
      'group',
      'group',
    );
  });

  it('priority: refuses raw numbers, look-alikes and the miss band', () => {
    refused(() => l2.flow(lookup({ priority: 2000 as unknown as Priority })), 'WEIR_PIPELINE_PRIORITY', {
      table: 'L2Lookup',
    });
    const fake = { band: 'normal', offset: 0, value: 2000 } as unknown as Priority;
    refused(() => l2.flow(lookup({ priority: fake })), 'WEIR_PIPELINE_PRIORITY');
    refused(() => l2.flow(lookup({ priority: priority('miss') })), 'WEIR_PIPELINE_PRIORITY', {
      subject: 'miss',
    });
  });

  it('cookie: refuses a missing or too-wide owner, and a bad generation up front', () => {
    refused(() => l2.flow(lookup({ owner: undefined as unknown as CookieOwner })), 'WEIR_PIPELINE_COOKIE', {
      subject: 'owner',
    });
    refused(() => l2.flow(lookup({ owner: { kind: 'port', key: 2 ** 32 } })), 'WEIR_PIPELINE_COOKIE');
    refused(() => flowBuilder({ generation: 0, app: 'l2' }), 'WEIR_PIPELINE_COOKIE');
  });

  it('registers: refuses values wider than the field', () => {
    refused(() => matchRegister(NetworkKeyField, 2 ** 32), 'WEIR_PIPELINE_VALUE');
    refused(() => loadRegister(SrcPortKeyField, -1), 'WEIR_PIPELINE_VALUE');
    refused(() => registerSubfield(NetworkKeyField, { start: 16, nBits: 17 }), 'WEIR_PIPELINE_VALUE');
  });

  it('port security may set its mark; ARP responder may answer out of the in_port', () => {
    flowBuilder({ generation: 2, app: 'port-security' }).flow({
      table: PortSecurityFromPortTable,
      priority: priority('low'),
      owner,
      match: [matchRegister(SrcPortKeyField, 17)],
      actions: [setMark(PortSecurityDisabledMark)],
      goto: DhcpTable,
    });
    flowBuilder({ generation: 2, app: 'arp-responder' }).flow({
      table: ArpResponderTable,
      priority: priority('normal'),
      owner,
      match: [matchRegister(NetworkKeyField, 5), { field: 'eth_type', value: 0x0806 }],
      actions: [{ type: 'output', port: OFPP.IN_PORT }],
    });
  });
});
