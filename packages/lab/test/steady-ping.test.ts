import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSteadyPing, steadyPingArgs } from '../src/steady-ping.js';

// The shape iputils 20221126 prints with -D -n (captured on this machine).
const reply = (at: string, seq: number): string =>
  `[${at}] 64 bytes from 10.20.0.7: icmp_seq=${seq} ttl=64 time=0.301 ms`;

describe('steady ping', () => {
  it('waits for every reply: a deadline beyond count × interval', () => {
    const args = steadyPingArgs('10.20.0.7', 500, 0.02);
    assert.deepEqual(args.slice(args.indexOf('-w'), args.indexOf('-w') + 2), ['-w', '20']);
    assert.equal(args.at(-1), '10.20.0.7');
  });

  it('names the sequence numbers that got no reply and ignores extra probes and duplicates', () => {
    const out = [
      'PING 10.20.0.7 (10.20.0.7) 56(84) bytes of data.',
      reply('1796629984.240060', 1),
      reply('1796629984.260765', 2),
      reply('1796629984.260900', 2) + ' (DUP!)',
      reply('1796629984.800000', 4),
      reply('1796629984.820000', 5),
      // ping sent a 6th probe because one was lost; it does not count.
      reply('1796629984.840000', 6),
      '',
      '--- 10.20.0.7 ping statistics ---',
      '6 packets transmitted, 5 received, +1 duplicates, 16.6667% packet loss, time 600ms',
    ].join('\n');
    const log = readSteadyPing(out, 5);
    assert.deepEqual(log.missing, [3]);
    assert.equal(log.answered, 4);
    assert.ok(Math.abs(log.maxGapSeconds - 0.539235) < 1e-6, String(log.maxGapSeconds));
  });

  it('a late final reply is not a loss, and no output at all loses everything', () => {
    const late = [reply('1.000000', 1), reply('1.020000', 2), reply('2.500000', 3)].join('\n');
    assert.deepEqual(readSteadyPing(late, 3).missing, []);
    assert.deepEqual(readSteadyPing('connect: Network is unreachable', 2).missing, [1, 2]);
    // Without -D there are no timestamps: replies still count, the gap is unknown (0).
    const plain =
      '64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.2 ms\n64 bytes from 10.0.0.2: icmp_seq=3 ttl=64 time=0.2 ms';
    const log = readSteadyPing(plain, 3);
    assert.deepEqual(log.missing, [2]);
    assert.equal(log.maxGapSeconds, 0);
  });
});
