// Byte-exact agreement with Open vSwitch: for every flow and group in fixtures/, our encoding of
// the text equals what ovs-ofctl sent, and our text for those bytes equals `ovs-ofctl ofp-print`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  decodeMessage,
  encodeMessage,
  formatFlowMod,
  formatGroup,
  parseFlow,
  parseGroup,
} from '../src/index.js';

interface Vector {
  text: string;
  hex: string;
  print: string;
}
const vectors = JSON.parse(readFileSync(new URL('fixtures/vectors.json', import.meta.url), 'utf8')) as {
  flows: Vector[];
  groups: Vector[];
};

describe('flow-mod vectors captured from ovs-ofctl', () => {
  for (const v of vectors.flows) {
    it(v.text, () => {
      const bytes = Buffer.from(v.hex, 'hex');
      const xid = bytes.readUInt32BE(4);
      const env = decodeMessage(bytes);
      assert.equal(env.message.type, 'flow_mod');
      if (env.message.type !== 'flow_mod') return;
      // decode -> encode is the identity on OVS's bytes
      assert.equal(encodeMessage(env.message, xid).toString('hex'), v.hex, 're-encoding differs');
      // our text for the bytes is ofp-print's text
      const body = v.print.slice(v.print.indexOf('):') + 2);
      assert.equal(formatFlowMod(env.message), body);
      // parsing the source text encodes to the same bytes
      assert.equal(
        encodeMessage(parseFlow(v.text), xid).toString('hex'),
        v.hex,
        'encoding of parsed text differs',
      );
    });
  }
});

describe('group-mod vectors captured from ovs-ofctl', () => {
  for (const v of vectors.groups) {
    it(v.text, () => {
      const bytes = Buffer.from(v.hex, 'hex');
      const xid = bytes.readUInt32BE(4);
      const env = decodeMessage(bytes);
      assert.equal(env.message.type, 'group_mod');
      if (env.message.type !== 'group_mod') return;
      assert.equal(encodeMessage(env.message, xid).toString('hex'), v.hex, 're-encoding differs');
      const body = v.print.slice(v.print.indexOf('):') + 2).trim();
      assert.equal(`ADD ${formatGroup(env.message)}`, body);
      const parsed = parseGroup(v.text);
      assert.equal(
        encodeMessage({ type: 'group_mod', command: 'add', ...parsed }, xid).toString('hex'),
        v.hex,
      );
    });
  }
});
