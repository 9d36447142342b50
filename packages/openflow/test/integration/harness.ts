// A real ovs-vswitchd with br-int whose controller is our OpenFlowListener (the production
// topology: the bridge dials the controller). One per test file; `stop` removes everything.
import { OvsInstance } from '@weir/lab';
import { OpenFlowListener, type OpenFlowConnection } from '../../src/index.js';

export interface SwitchHarness {
  readonly ovs: OvsInstance;
  readonly conn: OpenFlowConnection;
  readonly listener: OpenFlowListener;
  /** Next connection from the bridge (after the current one drops). */
  nextConnection(): Promise<OpenFlowConnection>;
  dumpFlows(): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startSwitch(name: string): Promise<SwitchHarness> {
  const ovs = await OvsInstance.start({ name: `${name}${process.pid}` });
  const socket = `unix:${ovs.rundir}/of.sock`;
  const listener = new OpenFlowListener(socket, { echoIntervalMs: 2000 });
  try {
    await listener.listen();
    const next = (): Promise<OpenFlowConnection> =>
      new Promise((resolve) => listener.once('switch', resolve));
    const first = next();
    await ovs.addBridge('br-int', { controller: socket, datapathId: '00000000000000c1' });
    const conn = await first;
    return {
      ovs,
      conn,
      listener,
      nextConnection: next,
      dumpFlows: async () =>
        (await ovs.ofctl('br-int', 'dump-flows', [], { flags: ['--no-stats'] }))
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
          .sort(),
      stop: async () => {
        await listener.close();
        await ovs.stop();
      },
    };
  } catch (error) {
    await listener.close();
    await ovs.stop();
    throw error;
  }
}
