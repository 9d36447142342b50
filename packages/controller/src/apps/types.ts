// What the apps read: the controller's views of the model (state/views.ts) placed on this chassis
// or on others, and the chassis' own settings. Apps are pure: the same inputs give the same flows.
import type { AppFlowBuilder } from '../flows/builder.js';
import { flowBuilder } from '../flows/builder.js';
import type { AppName } from '../pipeline/apps.js';
import type { ChassisView, NetworkView, OverlayType, PortView } from '../state/views.js';

/** OpenFlow port numbers of this chassis' flow-based tunnel ports (absent: that type is not set up). */
export type TunnelPorts = Readonly<Partial<Record<OverlayType, number>>>;

export interface Settings {
  /** This chassis' name: a port is ours when its binding:host_id says so. */
  readonly chassis: string;
  /** This controller run's cookie generation (1..65535). */
  readonly generation: number;
  readonly tunnelPorts: TunnelPorts;
}

/** A port bound to this chassis whose interface is plugged here. */
export interface LocalPort {
  readonly port: PortView;
  readonly ofport: number;
}

/** A port bound to another chassis that is alive. */
export interface RemotePort {
  readonly port: PortView;
  readonly chassis: ChassisView;
}

/** One builder per app, bound to the generation (the narrow capability each app receives). */
export type AppBuilders = Readonly<Record<AppName, AppFlowBuilder>>;

const cache = new Map<number, AppBuilders>();

export function appBuilders(generation: number): AppBuilders {
  let builders = cache.get(generation);
  if (builders === undefined) {
    const make = (app: AppName): AppFlowBuilder => flowBuilder({ generation, app });
    builders = {
      pipeline: make('pipeline'),
      classifier: make('classifier'),
      'port-security': make('port-security'),
      l2: make('l2'),
      'arp-responder': make('arp-responder'),
      tunneling: make('tunneling'),
      'security-groups': make('security-groups'),
      l3: make('l3'),
      nat: make('nat'),
      'load-balancer': make('load-balancer'),
      dhcp: make('dhcp'),
      provider: make('provider'),
      trunk: make('trunk'),
    };
    cache.set(generation, builders);
  }
  return builders;
}

/** The tunnel type a network's traffic uses between chassis, or undefined if it is not an overlay. */
export function overlayOf(network: NetworkView): OverlayType | undefined {
  return network.type === 'geneve' || network.type === 'vxlan' ? network.type : undefined;
}

/** The tunnel port and VNI this chassis uses for `network`, when it can tunnel it at all. */
export function tunnelFor(
  network: NetworkView,
  settings: Settings,
): { readonly ofport: number; readonly vni: bigint; readonly type: OverlayType } | undefined {
  const type = overlayOf(network);
  if (type === undefined || network.segmentationId === undefined) return undefined;
  const ofport = settings.tunnelPorts[type];
  return ofport === undefined ? undefined : { ofport, vni: BigInt(network.segmentationId), type };
}
