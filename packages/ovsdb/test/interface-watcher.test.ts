// The watcher's pure core: which row changes become added / changed / removed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interfaceEventOf, type WatchedInterfaceRow } from '../src/vswitch/interface-watcher.js';

function row(overrides: Partial<WatchedInterfaceRow> = {}): WatchedInterfaceRow {
  return {
    _uuid: '11111111-1111-4111-8111-111111111111',
    name: 'tap0',
    type: '',
    external_ids: new Map([['iface-id', 'vm-1']]),
    ofport: undefined,
    mac_in_use: undefined,
    link_state: undefined,
    admin_state: undefined,
    error: undefined,
    ...overrides,
  };
}

describe('interfaceEventOf', () => {
  it('adds rows that carry the key and ignores rows that do not', () => {
    assert.equal(interfaceEventOf(undefined, row())?.kind, 'added');
    assert.equal(interfaceEventOf(undefined, row({ external_ids: new Map() })), undefined);
    assert.equal(interfaceEventOf(undefined, row(), 'vm-id'), undefined, 'a custom key');
  });

  it('reports ofport becoming valid as a change carrying the whole current state', () => {
    const event = interfaceEventOf(
      row(),
      row({ ofport: 7, mac_in_use: 'aa:bb:cc:dd:ee:ff', link_state: 'up' }),
    );
    assert.equal(event?.kind, 'changed');
    assert.equal(event.state.ofport, 7);
    assert.equal(event.state.ofportValid, true);
    assert.equal(event.state.macInUse, 'aa:bb:cc:dd:ee:ff');
    assert.equal(event.kind === 'changed' ? event.previous.ofportValid : undefined, false);
  });

  it('treats ofport -1 as invalid and keeps the error', () => {
    const event = interfaceEventOf(row(), row({ ofport: -1, error: 'could not open network device tap0' }));
    assert.equal(event?.state.ofportValid, false);
    assert.match(event?.state.error ?? '', /could not open/);
  });

  it('removes on row deletion and on losing the key; ignores irrelevant changes', () => {
    assert.equal(interfaceEventOf(row(), undefined)?.kind, 'removed');
    assert.equal(interfaceEventOf(row(), row({ external_ids: new Map([['other', 'x']]) }))?.kind, 'removed');
    assert.equal(interfaceEventOf(row(), row()), undefined);
  });
});
