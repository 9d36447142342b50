// `weir lab controller stop|start nX [--kill]`: one node's controller on its own. In etcd mode it
// is a process of its own (stop: SIGTERM, a clean shutdown; --kill: SIGKILL, a crash); in the
// one-process modes the daemon stops it in place (--kill: without unregistering, as a crash).
import { resolve } from 'node:path';
import { control, errorOf } from './control-client.js';
import { readLabState } from './state.js';

export async function labController(
  action: string,
  node: string,
  flags: { readonly state: string; readonly kill?: boolean },
): Promise<number> {
  if (action !== 'stop' && action !== 'start') {
    process.stderr.write('weir lab controller: stop or start\n');
    return 2;
  }
  const state = readLabState(resolve(flags.state));
  if (state === undefined || state.status !== 'ready') {
    process.stderr.write(`weir lab controller: no lab is up in ${resolve(flags.state)}\n`);
    return 1;
  }
  const path = `/controllers/${encodeURIComponent(node)}/${action}${action === 'stop' && flags.kill === true ? '?kill=1' : ''}`;
  const reply = await control(state.control, 'POST', path);
  if (reply.status !== 200) {
    process.stderr.write(`weir lab controller ${action} ${node}: ${errorOf(reply)}\n`);
    return 1;
  }
  process.stdout.write(
    `controller ${node}: ${action === 'stop' ? (flags.kill === true ? 'killed' : 'stopped') : 'running'}\n`,
  );
  return 0;
}
