// docs/pipeline.md, generated from the declaration so the two cannot drift apart: the doc test
// compares the committed file with this output. Regenerate with
//   node --import tsx packages/controller/scripts/pipeline-doc.ts
import { APP_IDS } from './apps.js';
import { APP_BITS, GENERATION_BITS, OWNER_KEY_BITS, OWNER_KIND_BITS, OWNER_KINDS } from './cookies.js';
import { BAND_WIDTH, PRIORITY_BANDS } from './priorities.js';
import { MARKS, REGISTER_FIELDS, registerSubfield, type Mark, type RegisterField } from './registers.js';
import { missTarget, type ContractField, type MissAction, type PipelineTable } from './table.js';
import { PIPELINE } from './tables.js';

function fieldName(f: ContractField): string {
  return typeof f === 'string' ? `\`${f}\`` : f.name;
}

function list(fields: readonly ContractField[]): string {
  return fields.length === 0 ? '—' : fields.map(fieldName).join(', ');
}

function ref(t: PipelineTable): string {
  return `[${t.name}](#${t.id}-${t.name.toLowerCase()}) (${t.id})`;
}

function missText(t: PipelineTable, miss: MissAction): string {
  const target = missTarget(t, PIPELINE.tables);
  switch (miss.kind) {
    case 'drop':
      return 'drop';
    case 'controller':
      return 'send to the controller (packet-in, reason no_match)';
    case 'next':
    case 'goto':
      return target === undefined ? 'drop' : `continue in ${ref(target)}`;
  }
}

function bits(f: RegisterField): string {
  const s = registerSubfield(f);
  return `${s.field}[${s.start}..${s.start + s.nBits - 1}]`;
}

function markBits(m: Mark): string {
  const bit = m.field.start + m.bit;
  return `${m.field.register}[${bit}]`;
}

function capabilities(t: PipelineTable): string {
  const c = t.contract;
  const yes = (
    [
      ['output', c.output],
      ['controller', c.controller],
      ['group', c.group],
      ['ct', c.ct],
      ['learn', c.learn],
    ] as const
  )
    .filter(([, v]) => v === true)
    .map(([k]) => k);
  return yes.length === 0 ? 'none' : yes.join(', ');
}

function section(t: PipelineTable): string {
  const next = t.contract.next.map((n) => ref(PIPELINE.table(n)));
  return [
    `## ${t.id} ${t.name}`,
    '',
    `- **Number**: ${t.id} · **stage**: ${t.stage} · **owner**: ${t.owner} · **state**: ${
      t.state === 'active' ? 'active' : 'reserved (declared for a future app; empty today)'
    }`,
    `- **Purpose**: ${t.purpose}`,
    `- **Matches**: ${list(t.contract.matches)}`,
    `- **Sets**: ${list(t.contract.sets)}`,
    `- **Continues in**: ${next.length === 0 ? '— (leaves the pipeline)' : next.join(', ')}`,
    `- **May use**: ${capabilities(t)}`,
    `- **Miss**: ${missText(t, t.miss)}`,
    '',
  ].join('\n');
}

export function renderPipelineDoc(): string {
  const out: string[] = [];
  out.push(
    '# The br-int pipeline',
    '',
    '<!-- Generated from packages/controller/src/pipeline/ by',
    '     `node --import tsx packages/controller/scripts/pipeline-doc.ts`; a test fails when this',
    '     file differs from the declaration. Edit the declaration, not this file. -->',
    '',
    'Every packet enters table 0 (Classifier) and walks forward: jumps only go to later tables, so',
    'the pipeline has no loops. Tables are named; their OpenFlow numbers come from the order of the',
    'declaration in `packages/controller/src/pipeline/tables.ts` and are shown here for reading raw',
    'dumps (`weir flows` shows names). A *reserved* table is declared for a future app and is empty',
    'today; its miss flow makes it transparent (or closed) as stated.',
    '',
    'Following a packet from a local VM to a VM on another node: Classifier (port key, network key)',
    '→ TrunkIngress → PortSecurityFromPort (anti-spoofing) → Dhcp → ArpResponder → security groups',
    '→ LoadBalancer → L3Admission (not routed: → L2Lookup) → L2Lookup (remote port) → TunnelOutput.',
    'On the other node: Classifier → TunnelIngress (VNI → network) → L2Lookup (local port) →',
    'security groups → PortSecurityToPort → TrunkEgress → LocalOutput.',
    '',
    '| # | table | stage | owner | state | miss |',
    '|---|---|---|---|---|---|',
  );
  for (const t of PIPELINE.tables) {
    const miss = missTarget(t, PIPELINE.tables);
    out.push(
      `| ${t.id} | ${t.name} | ${t.stage} | ${t.owner} | ${t.state} | ${miss === undefined ? t.miss.kind : `→ ${miss.name}`} |`,
    );
  }
  out.push(
    '',
    '## Registers',
    '',
    '| field | bits | carries | written by | read by |',
    '|---|---|---|---|---|',
  );
  for (const f of REGISTER_FIELDS) {
    out.push(`| ${f.name} | ${bits(f)} | ${f.carries} | ${f.writers.join(', ')} | ${f.readers.join(', ')} |`);
  }
  out.push('', '| mark | bit | meaning | set by | read by |', '|---|---|---|---|---|');
  for (const m of MARKS) {
    out.push(
      `| ${m.name} | ${markBits(m)} | ${m.meaning} | ${m.writers.join(', ')} | ${m.readers.join(', ')} |`,
    );
  }
  out.push(
    '',
    '## Priorities',
    '',
    `Named bands, each ${BAND_WIDTH} wide; a flow gives a band and an offset, never a number.`,
    '',
    '| band | base |',
    '|---|---|',
    ...Object.entries(PRIORITY_BANDS).map(([b, v]) => `| ${b} | ${v} |`),
    '',
    '## Cookies',
    '',
    `generation (${GENERATION_BITS} bits) | app (${APP_BITS}) | owner kind (${OWNER_KIND_BITS}) | owner key (${OWNER_KEY_BITS}), most significant first.`,
    '',
    `Apps: ${Object.entries(APP_IDS)
      .map(([a, n]) => `${a} = ${n}`)
      .join(', ')}.`,
    '',
    `Owner kinds: ${Object.entries(OWNER_KINDS)
      .map(([k, n]) => `${k} = ${n}`)
      .join(', ')}.`,
    '',
  );
  for (const t of PIPELINE.tables) out.push(section(t));
  return out.join('\n');
}
