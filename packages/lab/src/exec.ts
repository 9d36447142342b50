// Running external commands (ip, ovs-vsctl, ovs-ofctl…) with clear errors.
// Every lab command goes through here so a failure always names the command line and its stderr.
import { execFile } from 'node:child_process';

export class CommandError extends Error {
  constructor(
    readonly command: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    /** What the command printed on standard output before it failed. */
    readonly stdout = '',
  ) {
    super(`command failed (exit ${exitCode ?? 'signal'}): ${command.join(' ')}\n${stderr.trim()}`);
    this.name = 'CommandError';
  }
}

export interface RunOptions {
  /** Text written to the command's standard input. */
  readonly input?: string;
  /** Milliseconds before the command is killed; default 30 s. */
  readonly timeoutMs?: number;
  /** Extra environment variables (merged over the current environment). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs a command and resolves with its standard output; rejects with a CommandError. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      {
        timeout: options.timeoutMs ?? 30_000,
        maxBuffer: 256 * 1024 * 1024,
        env: options.env ? { ...process.env, ...options.env } : process.env,
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof error.code === 'number' ? error.code : null;
          reject(
            new CommandError(
              [command, ...args],
              code,
              `${stderr}${error.killed ? ' (timed out)' : ''}`,
              stdout,
            ),
          );
        } else {
          resolve(stdout);
        }
      },
    );
    if (options.input !== undefined) {
      // A command that exits before reading all its input makes the write fail with EPIPE; that
      // error would otherwise be thrown as uncaught. The exit status already tells what happened.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.input);
    }
  });
}

/** Like run() but resolves false instead of rejecting. For probes and best-effort cleanup. */
export async function tryRun(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<boolean> {
  try {
    await run(command, args, options);
    return true;
  } catch {
    return false;
  }
}
