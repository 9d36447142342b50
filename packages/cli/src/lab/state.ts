// The lab's state file (<state>/lab.json): what `weir lab up` started, where, with which PIDs.
// Written by the lab daemon; read — and validated, it is input — by every other `weir lab`
// command. A state file that does not parse is reported, never trusted.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';

export const DEFAULT_STATE_DIR = '/tmp/weir-lab-state';
export const DEFAULT_LAB_NAME = 'weir';

const Pid = Type.Integer({ minimum: 1 });

export const LabNodeStateSchema = Type.Object(
  {
    /** n1…nN: also the node's chassis name. */
    name: Type.String({ pattern: '^n[0-9]{1,3}$' }),
    index: Type.Integer({ minimum: 1 }),
    /** The OVS instance's name (`<lab>-n<i>`) and run directory. */
    instance: Type.String(),
    rundir: Type.String(),
    netns: Type.String(),
    tunnelIp: Type.String(),
    ovsdb: Type.String(),
    openflow: Type.String(),
    mgmt: Type.String(),
    vswitchdControl: Type.String(),
    /** Separate controller process (etcd mode); absent in the one-process modes. */
    controllerPid: Type.Optional(Pid),
    controller: Type.Union([Type.Literal('running'), Type.Literal('stopped')]),
  },
  { additionalProperties: false },
);

export const LabVmSchema = Type.Object(
  {
    name: Type.String(),
    node: Type.String(),
    port: Type.String(),
    netns: Type.String(),
    nic: Type.String(),
    mac: Type.String(),
    ip: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const LabStateSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,15}$' }),
    status: Type.Union([
      Type.Literal('starting'),
      Type.Literal('ready'),
      Type.Literal('stopping'),
      Type.Literal('failed'),
    ]),
    error: Type.Optional(Type.String()),
    /** memory, file:PATH or etcd (a private etcd the lab started). */
    mode: Type.Union([Type.Literal('memory'), Type.Literal('file'), Type.Literal('etcd')]),
    db: Type.String(),
    baseDir: Type.String(),
    daemonPid: Pid,
    control: Type.String(),
    serverPid: Type.Optional(Pid),
    etcdPid: Type.Optional(Pid),
    endpoints: Type.Object(
      { network: Type.String(), loadBalancer: Type.String(), identity: Type.String() },
      { additionalProperties: false },
    ),
    metrics: Type.Optional(Type.String()),
    clouds: Type.String(),
    nodes: Type.Array(LabNodeStateSchema),
    vms: Type.Array(LabVmSchema),
    startedAt: Type.String(),
  },
  { additionalProperties: false },
);

export type LabState = Static<typeof LabStateSchema>;
export type LabNodeState = Static<typeof LabNodeStateSchema>;
export type LabVm = Static<typeof LabVmSchema>;

const check = Compile(LabStateSchema);

export class LabStateError extends Error {}

export function statePath(dir: string): string {
  return join(dir, 'lab.json');
}

export function readLabState(dir: string): LabState | undefined {
  const path = statePath(dir);
  if (!existsSync(path)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new LabStateError(`${path} is not JSON: ${(error as Error).message}`);
  }
  if (!check.Check(value)) {
    const first = [...check.Errors(value)][0];
    throw new LabStateError(
      `${path} is not a lab state file (${first?.instancePath ?? ''} ${first?.message ?? ''})`,
    );
  }
  return value;
}

/** Written atomically (rename), so a reader never sees half a file. */
export function writeLabState(dir: string, state: LabState): void {
  mkdirSync(dir, { recursive: true });
  const path = statePath(dir);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

/** The clouds.yaml of the lab: cloud `weir-lab`, auth none, the network and load-balancer endpoints. */
export function cloudsYaml(endpoints: LabState['endpoints']): string {
  return [
    'clouds:',
    '  weir-lab:',
    '    auth_type: none',
    '    auth:',
    `      endpoint: ${endpoints.network}`,
    `    network_endpoint_override: ${endpoints.network}`,
    `    load_balancer_endpoint_override: ${endpoints.loadBalancer}`,
    '',
  ].join('\n');
}
