// Runs a snippet of TypeScript in a separate node process (through tsx), as another program using
// the lab would: a test's owner that gets killed, or a CLI that attaches to a running lab.
import { spawn, type ChildProcess } from 'node:child_process';

const REPO = new URL('../../../../', import.meta.url).pathname;
/** Import this in a snippet: `import { LabCluster } from LAB;` */
export const LAB = JSON.stringify(new URL('../../src/index.ts', import.meta.url).pathname);

export interface Child<T> {
  readonly child: ChildProcess;
  /** The first line the snippet printed, parsed as JSON. */
  readonly report: T;
  readonly exited: Promise<number | null>;
}

/** Starts `source` (an ES module) and waits for its first line of output. */
export async function startChild<T>(source: string): Promise<Child<T>> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    out += chunk.toString();
    if (out.includes('\n')) break;
  }
  if (!out.includes('\n')) throw new Error(`child exited (${await exited}) without a report`);
  return { child, report: JSON.parse(out) as T, exited };
}
