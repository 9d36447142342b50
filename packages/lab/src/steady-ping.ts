// A steady ping for "zero loss across a restart" checks, read per sequence number.
//
// Why not ping's own "N transmitted, M received": with `-c N` alone, iputils stops waiting for
// the last reply after about two of the largest round trips seen so far, so one slow final reply
// on a loaded machine reads as a lost packet. With `-w` as well, ping waits until N replies came
// (sending more probes if some were lost), so a late reply is not a loss — and a real loss shows
// as a sequence number in 1..N that never got a reply.

export interface SteadyPingLog {
  /** Probes that counted: sequence numbers 1..count. */
  readonly count: number;
  /** How many of them got a reply. */
  readonly answered: number;
  /** Sequence numbers in 1..count that got none, ascending. */
  readonly missing: readonly number[];
  /** Longest time between two consecutive replies, in seconds (needs `-D` timestamps). */
  readonly maxGapSeconds: number;
  /** When each first reply came, Unix seconds, in arrival order (needs `-D` timestamps). */
  readonly replyTimes: readonly number[];
}

/** iputils ping arguments: `count` probes every `intervalSeconds`, timestamped, numeric. */
export function steadyPingArgs(destination: string, count: number, intervalSeconds: number): string[] {
  const deadline = Math.ceil(count * intervalSeconds) + 10;
  return [
    '-n',
    '-D',
    '-i',
    String(intervalSeconds),
    '-c',
    String(count),
    '-W',
    '1',
    '-w',
    String(deadline),
    destination,
  ];
}

/** A reply line, with its `-D` timestamp when there is one. */
const REPLY = /^(?:\[(\d+\.\d+)\] )?\d+ bytes from .*icmp_seq=(\d+)/gm;

/** Reads what a ping started with {@link steadyPingArgs} (or any `-c`/`-w` ping) printed. */
export function readSteadyPing(output: string, count: number): SteadyPingLog {
  const seen = new Set<number>();
  let previous: number | undefined;
  let maxGapSeconds = 0;
  const replyTimes: number[] = [];
  for (const m of output.matchAll(REPLY)) {
    const seq = Number(m[2]);
    if (seen.has(seq)) continue; // a (DUP!) reply
    seen.add(seq);
    if (m[1] === undefined) continue;
    const at = Number(m[1]);
    replyTimes.push(at);
    if (previous !== undefined) maxGapSeconds = Math.max(maxGapSeconds, at - previous);
    previous = at;
  }
  const missing: number[] = [];
  for (let seq = 1; seq <= count; seq++) if (!seen.has(seq)) missing.push(seq);
  return { count, answered: count - missing.length, missing, maxGapSeconds, replyTimes };
}
