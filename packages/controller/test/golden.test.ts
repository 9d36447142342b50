// Golden text of representative flows for every table, by table name, and of the miss flows.
// The text must also mean exactly what the typed flow-mod means: parsing flowText() with the
// codec's parser and encoding it gives the same bytes as encoding the flow-mod we built.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { encodeMessage, formatGroup, parseFlow, type FlowMod } from '@weir/openflow';
import { PIPELINE, flowText, missFlows, nameTables, namedFlowText, tableName } from '../src/index.js';
import { representativeFlows } from './representative.js';

const GOLDEN = new URL('./golden/flows.txt', import.meta.url);

function render(): string {
  const { flows, groups } = representativeFlows(3);
  const lines = [
    ...missFlows(3).map(namedFlowText),
    '',
    ...flows.map(namedFlowText),
    '',
    ...groups.map((g) => `${nameTables(formatGroup(g.mod))} # ${g.app} ${g.owner.kind}:${g.owner.key}`),
  ];
  return `${lines.join('\n')}\n`;
}

const bytes = (m: FlowMod): Buffer => encodeMessage(m, 1);

describe('golden flows', () => {
  it('match the committed golden text (WEIR_UPDATE_GOLDEN=1 rewrites it)', () => {
    const text = render();
    if (process.env['WEIR_UPDATE_GOLDEN'] === '1') writeFileSync(GOLDEN, text);
    assert.equal(text, readFileSync(GOLDEN, 'utf8'));
  });

  it('cover every declared table', () => {
    const covered = new Set(representativeFlows(3).flows.map((f) => tableName(f.tableId)));
    assert.deepEqual(
      PIPELINE.tables.map((t) => t.name).filter((n) => !covered.has(n)),
      [],
    );
  });

  it('print text that encodes to the same bytes as the flow-mod', () => {
    for (const m of [...missFlows(3), ...representativeFlows(3).flows]) {
      const text = flowText(m);
      const parsed = parseFlow(text);
      assert.deepEqual(bytes(parsed), bytes(m), text);
    }
  });

  it('name tables everywhere a number would appear', () => {
    for (const m of representativeFlows(3).flows) {
      const named = namedFlowText(m);
      assert.doesNotMatch(named.split(' # ')[0] ?? '', /table=\d|goto_table:\d|resubmit\(,\d/, named);
    }
  });
});
