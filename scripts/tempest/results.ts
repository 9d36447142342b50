// A run's results: the raw subunit stream (from the workspace's stestr repository), decoded by
// results.py with Debian's python3-subunit into one record per test, then counted and written as
// results.json and summary.txt next to it.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestResult {
  readonly id: string;
  readonly status: string;
  readonly reason: string;
}

export interface Summary {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly results: readonly TestResult[];
}

const DECODER = new URL('./results.py', import.meta.url).pathname;
const PASSED = new Set(['success', 'xfail']);
const SKIPPED = new Set(['skip']);

/** The test id without tempest's "[id-…,smoke]" attributes. */
export const shortId = (id: string): string => id.replace(/\[.*\]$/, '');

export function summarize(results: readonly TestResult[]): Summary {
  // "exists"/"inprogress" are listings or interrupted tests: not outcomes.
  const done = results.filter((r) => r.status !== 'exists' && r.status !== 'inprogress');
  return {
    passed: done.filter((r) => PASSED.has(r.status)).length,
    skipped: done.filter((r) => SKIPPED.has(r.status)).length,
    failed: done.filter((r) => !PASSED.has(r.status) && !SKIPPED.has(r.status)).length,
    results: done,
  };
}

/** Exports the last run of `workspace` as subunit into `outDir` and decodes it. */
export function collectResults(workspace: string, outDir: string, env: NodeJS.ProcessEnv): Summary {
  let subunit: Buffer;
  try {
    subunit = execFileSync('stestr', ['last', '--subunit'], {
      cwd: workspace,
      env,
      maxBuffer: 512 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // No run in the repository: tempest stopped before running anything (a regex matching no
    // test, a configuration it refused).
    throw new Error('tempest recorded no run', { cause: error });
  }
  writeFileSync(join(outDir, 'results.subunit'), subunit);
  const decoded = execFileSync('/usr/bin/python3', [DECODER], {
    input: subunit,
    maxBuffer: 512 * 1024 * 1024,
  });
  const results = decoded
    .toString()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as TestResult);
  return summarize(results);
}

export function writeSummary(outDir: string, s: Summary, header: readonly string[]): string {
  writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(s.results, null, 1)}\n`);
  const lines = [
    ...header,
    `passed ${s.passed}, failed ${s.failed}, skipped ${s.skipped} (of ${s.results.length})`,
    '',
  ];
  for (const [title, pick] of [
    ['FAILED', (r: TestResult) => !PASSED.has(r.status) && !SKIPPED.has(r.status)],
    ['SKIPPED', (r: TestResult) => SKIPPED.has(r.status)],
  ] as const) {
    const list = s.results.filter(pick).sort((a, b) => a.id.localeCompare(b.id));
    lines.push(`== ${title} (${list.length})`);
    for (const r of list) {
      const reason = r.reason.split('\n').filter((x) => x.trim() !== '');
      lines.push(`${shortId(r.id)}: ${reason[reason.length - 1] ?? r.status}`);
    }
    lines.push('');
  }
  const text = lines.join('\n');
  writeFileSync(join(outDir, 'summary.txt'), text);
  return text;
}
