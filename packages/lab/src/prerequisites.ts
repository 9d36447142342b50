// What the lab needs from the machine. Tests that need a real switch check this first and fail
// with the missing pieces named, instead of an obscure spawn error. (CI installs all of them.)
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const labPrerequisites = [
  'ip',
  'ovsdb-tool',
  'ovsdb-server',
  'ovs-vswitchd',
  'ovs-vsctl',
  'ovs-ofctl',
  'ovs-appctl',
];

function onPath(command: string): boolean {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // Keep looking.
    }
  }
  return false;
}

/** Names of missing commands, plus "root" when not running as root. Empty when the lab can run. */
export function missingLabPrerequisites(commands: readonly string[] = labPrerequisites): string[] {
  const missing = commands.filter((c) => !onPath(c));
  if (process.getuid?.() !== 0) missing.push('root');
  return missing;
}
