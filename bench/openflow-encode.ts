// Encode rate of a typical pipeline flow-mod on one core (goal: >= 300,000/s).
//   node --import tsx bench/openflow-encode.ts [runs]
import { Writer, encodeMessage, encodeMessageInto, flowMod, type FlowMod } from '@weir/openflow';
import { fmt, machineLine, median } from './lib/stats.js';

const runs = Number(process.argv[2] ?? 7);
const perRun = 200_000;

// What a security-group/L2 stage flow looks like: network and port keys in registers, an L3
// match, a conntrack step and a resubmit. Each flow differs, as in a real batch.
function typicalFlow(i: number): FlowMod {
  return flowMod({
    tableId: 10,
    priority: 1000,
    cookie: 0x0100_0000_0000_0000n | BigInt(i),
    match: [
      { field: 'reg6', value: i & 0xffff },
      { field: 'metadata', value: BigInt(i >> 8) },
      { field: 'eth_type', value: 0x0800 },
      { field: 'ip_dst', value: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
      { field: 'nw_proto', value: 6 },
      { field: 'tcp_dst', value: 80 },
    ],
    instructions: [
      {
        type: 'apply_actions',
        actions: [
          { type: 'set_field', field: 'reg7', value: i },
          {
            type: 'ct',
            commit: true,
            zone: { field: 'reg6', start: 0, nBits: 16 },
            exec: [{ type: 'set_field', field: 'ct_mark', value: 1 }],
          },
          { type: 'resubmit', table: 20 },
        ],
      },
    ],
  });
}

const flows = Array.from({ length: 4096 }, (_, i) => typicalFlow(i));
const w = new Writer(1 << 20);
const rates: number[] = [];
for (let r = 0; r < runs + 1; r++) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < perRun; i++) {
    if (w.length > (1 << 20) - 1024) w.reset();
    encodeMessageInto(w, flows[i & 4095] as FlowMod, i);
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r > 0) rates.push(perRun / s); // run 0 warms the JIT
}
const bytes = encodeMessage(flows[1] as FlowMod, 1).length;
console.log(machineLine());
console.log(
  `flow-mod encode (${flows.length} distinct flows, ${bytes} B each): median ${fmt(median(rates))}/s ` +
    `over ${runs} runs of ${fmt(perRun)} (min ${fmt(Math.min(...rates))}, max ${fmt(Math.max(...rates))}); goal >= 300,000/s`,
);
