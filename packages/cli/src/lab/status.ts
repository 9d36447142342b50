// `weir lab status [--json]`: nodes, processes with PIDs, endpoints, OVS socket paths.
import { resolve } from 'node:path';
import { control, isRunning } from './control-client.js';
import { readLabState } from './state.js';

export async function labStatus(flags: { readonly state: string; readonly json?: boolean }): Promise<number> {
  const state = readLabState(resolve(flags.state));
  if (state === undefined) {
    process.stderr.write(`weir lab status: no lab in ${resolve(flags.state)}\n`);
    return 1;
  }
  const daemonUp = isRunning(state.daemonPid);
  const live = daemonUp
    ? await control(state.control, 'GET', '/status', undefined, 10_000).catch(() => undefined)
    : undefined;
  const controllers =
    (
      live?.body as
        | {
            controllers?: {
              name: string;
              ready: boolean;
              localPorts: number;
              flows: number;
              generation: number;
            }[];
          }
        | undefined
    )?.controllers ?? [];
  if (flags.json === true) {
    process.stdout.write(`${JSON.stringify({ ...state, daemonRunning: daemonUp, controllers }, null, 2)}\n`);
    return 0;
  }
  const pid = (p: number | undefined): string =>
    p === undefined ? '-' : `${p}${isRunning(p) ? '' : ' (dead)'}`;
  const lines = [
    `lab ${state.name}: ${state.status}${daemonUp ? '' : ' (daemon not running)'}, store ${state.db}, started ${state.startedAt}`,
    `  daemon pid ${pid(state.daemonPid)}${state.serverPid ? `, server pid ${pid(state.serverPid)}` : ' (server and controllers in the daemon)'}${state.etcdPid ? `, etcd pid ${pid(state.etcdPid)}` : ''}`,
    `  network ${state.endpoints.network}  load-balancer ${state.endpoints.loadBalancer}  identity ${state.endpoints.identity}`,
    ...(state.metrics ? [`  metrics ${state.metrics}`] : []),
    `  clouds.yaml ${state.clouds} (cloud weir-lab)`,
    '',
    'node  tunnel IP        controller            netns / OVS sockets',
    ...state.nodes.map((n) => {
      const c = controllers.find((x) => x.name === n.name);
      const ctl = n.controllerPid !== undefined ? `pid ${pid(n.controllerPid)}` : n.controller;
      const detail = c ? ` gen ${c.generation}, ${c.localPorts} ports, ${c.flows} flows` : '';
      return `${n.name.padEnd(5)} ${n.tunnelIp.padEnd(16)} ${`${ctl}${detail}`.padEnd(21)} ${n.netns}\n      ovsdb ${n.ovsdb}\n      openflow ${n.openflow}  mgmt unix:${n.mgmt}`;
    }),
    ...(state.vms.length > 0
      ? [
          '',
          'vm    node  port                                  ip',
          ...state.vms.map((v) => `${v.name.padEnd(5)} ${v.node.padEnd(5)} ${v.port}  ${v.ip ?? '-'}`),
        ]
      : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
