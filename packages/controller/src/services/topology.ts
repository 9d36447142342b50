// Selective topology distribution: the controller holds only what its local ports need — the
// networks that carry a port plugged here, every port of those networks, and the live chassis —
// and lets go of a network when the last interface here that needs it goes away. A node whose
// ports sit in 1 of 100 networks holds that network's objects, not the cluster's.
//
// One store watch (chassis, networks, ports) from the revision of the first list; events of
// networks not subscribed are dropped on arrival (an O(1) lookup). Why one watch rather than one
// per network: the store's watch orders one transaction's changes together only within a watch
// (nbdb/etcd/watch.ts), and a port moves between "wanted" and "cached" as events arrive.
//
// Subscribing is list-then-replay: while a network loads, its events are buffered; the list is
// applied, then the buffer, each object only if its version is newer than what is held (Dragonflow
// compared versions the same way). An event that predates the subscription was dropped, but its
// revision is at most the store's revision when the list was asked for, so the list reflects it.
// A watch `reset` (history compacted away) re-lists every subscribed network the same way.
import type { Chassis, LogicalPort, LogicalSwitch } from '@weir/model';
import type { Store, Watch, WatchBatch, WatchEvent } from '@weir/nbdb';
import type { KeyedInputWriter } from '@weir/engine';
import {
  chassisView,
  networkView,
  portView,
  type ChassisView,
  type NetworkView,
  type PortView,
} from '../state/views.js';

/** Where the subscription writes: the engine's input tables. */
export interface TopologySink {
  readonly ports: KeyedInputWriter<string, PortView>;
  readonly networks: KeyedInputWriter<string, NetworkView>;
  readonly chassis: KeyedInputWriter<string, ChassisView>;
  /** Something was written: schedule an engine run. */
  changed(): void;
  /** A port of a subscribed network, as stored (undefined: gone); its status is the controller's to report. */
  portStatus?(id: string, port: LogicalPort | undefined): void;
  /** A failure the subscription recovers from by itself (logged and counted by the daemon). */
  error?(what: string, error: unknown): void;
}

type Change = Exclude<WatchEvent, { type: 'reset' }>;

interface Loading {
  readonly kind: 'loading';
  refs: number;
  readonly buffer: Change[];
}
interface Ready {
  readonly kind: 'ready';
  refs: number;
}
type Subscription = Loading | Ready;

export interface TopologyStats {
  readonly networks: number;
  readonly ports: number;
  readonly chassis: number;
  /** Watch events received, and those dropped because they concern networks not held here. */
  readonly events: number;
  readonly dropped: number;
  readonly resets: number;
  readonly loads: number;
}

export class TopologySubscription {
  private readonly subscriptions = new Map<string, Subscription>();
  /** Port ids that interfaces here carry → the port's network once known. */
  private readonly wanted = new Map<string, string | undefined>();
  /** Wanted ports whose store read is in flight or to be retried (see `settled`). */
  private readonly resolving = new Set<string>();
  /** Ports held, by network (to evict a network's ports with it). */
  private readonly portsByNetwork = new Map<string, Set<string>>();
  /** Version of every object held (ports and networks), for the newer-than guard. */
  private readonly versions = new Map<string, number>();
  /** Chassis incarnations (core/services/chassis.ts) by name, then id: each name is served by its newest. */
  private readonly incarnations = new Map<string, Map<string, Chassis>>();
  private readonly nameOfChassis = new Map<string, string>();
  private watch: Watch | undefined;
  private closed = false;
  private counters = { events: 0, dropped: 0, resets: 0, loads: 0 };

  constructor(
    private readonly store: Store,
    private readonly sink: TopologySink,
  ) {}

  /** Lists the chassis and starts the watch; resolves once the chassis are in the sink. */
  async start(): Promise<void> {
    const chassis = await this.store.list('chassis');
    for (const c of chassis.items) this.putChassis(c);
    this.sink.changed();
    this.watch = this.store.watch(
      { tables: ['chassis', 'logical_switch', 'logical_port'], fromRevision: chassis.revision },
      (batch) => this.onBatch(batch),
    );
  }

  close(): void {
    this.closed = true;
    this.watch?.close();
  }

  /** An interface here now carries `portId` (its iface-id): hold that port's network. */
  want(portId: string): void {
    if (this.wanted.has(portId)) return;
    this.wanted.set(portId, undefined);
    this.resolve(portId);
  }

  /** No interface here carries `portId` any more. */
  unwant(portId: string): void {
    if (!this.wanted.has(portId)) return;
    const network = this.wanted.get(portId);
    this.wanted.delete(portId);
    this.resolving.delete(portId);
    if (network !== undefined) this.unref(network);
  }

  /**
   * True when every port wanted so far has been looked up and every network they need is loaded:
   * what is held is then the whole view this node needs, as of now. (A wanted port the store does
   * not have is looked up, so it does not hold this back; a watch event brings it if it comes.)
   * The controller sweeps a previous run's flows only once this was true — see ADR 0013.
   */
  get settled(): boolean {
    if (this.resolving.size > 0) return false;
    for (const state of this.subscriptions.values()) if (state.kind === 'loading') return false;
    return true;
  }

  stats(): TopologyStats {
    let ports = 0;
    for (const ids of this.portsByNetwork.values()) ports += ids.size;
    return { networks: this.subscriptions.size, ports, chassis: this.incarnations.size, ...this.counters };
  }

  /** The network of a wanted port, from the store when it is not held yet. */
  private resolve(portId: string): void {
    this.resolving.add(portId);
    this.store.get('logical_port', portId).then(
      (port) => {
        // Unwanted meanwhile, or resolved by a watch event first.
        if (this.closed || !this.wanted.has(portId) || this.wanted.get(portId) !== undefined) return;
        this.resolving.delete(portId);
        if (port !== undefined) this.resolved(portId, port.networkId);
        else this.sink.changed(); // looked up and absent: that may settle the view
      },
      (error: unknown) => {
        this.sink.error?.(`read port ${portId}`, error);
        // Try again later: the interface is still there (and the view is not settled meanwhile).
        setTimeout(() => {
          if (this.wanted.has(portId) && this.wanted.get(portId) === undefined) this.resolve(portId);
          else this.resolving.delete(portId);
        }, 1000).unref();
      },
    );
  }

  private resolved(portId: string, networkId: string): void {
    this.resolving.delete(portId);
    this.wanted.set(portId, networkId);
    this.ref(networkId);
  }

  private ref(networkId: string): void {
    const current = this.subscriptions.get(networkId);
    if (current !== undefined) {
      current.refs++;
      return;
    }
    this.load(networkId, 1);
  }

  private unref(networkId: string): void {
    const current = this.subscriptions.get(networkId);
    if (current === undefined) return;
    current.refs--;
    if (current.refs > 0) return;
    this.subscriptions.delete(networkId);
    this.evict(networkId);
    this.sink.changed();
  }

  /** Starts (or restarts, after a reset) loading a network; its events are buffered meanwhile. */
  private load(networkId: string, refs: number): void {
    const state: Loading = { kind: 'loading', refs, buffer: [] };
    this.subscriptions.set(networkId, state);
    this.counters.loads++;
    Promise.all([
      this.store.get('logical_switch', networkId),
      this.store.list('logical_port', { index: { name: 'network', value: networkId } }),
    ]).then(
      ([network, ports]) => {
        if (this.closed || this.subscriptions.get(networkId) !== state) return;
        this.applySnapshot(networkId, network, ports.items);
        for (const event of state.buffer) this.apply(event);
        this.subscriptions.set(networkId, { kind: 'ready', refs: state.refs });
        this.sink.changed();
      },
      (error: unknown) => {
        this.sink.error?.(`load network ${networkId}`, error);
        setTimeout(() => {
          if (!this.closed && this.subscriptions.get(networkId) === state) this.load(networkId, state.refs);
        }, 1000).unref();
      },
    );
  }

  /** Makes the held objects of `networkId` those of a fresh read (then newer events apply). */
  private applySnapshot(
    networkId: string,
    network: LogicalSwitch | undefined,
    ports: readonly LogicalPort[],
  ): void {
    const listed = new Set(ports.map((p) => p.id));
    for (const id of [...(this.portsByNetwork.get(networkId) ?? [])]) {
      if (!listed.has(id)) this.deletePort(id, networkId);
    }
    if (network === undefined) this.deleteNetwork(networkId);
    else this.putNetwork(network);
    for (const port of ports) this.putPort(port);
  }

  private evict(networkId: string): void {
    for (const id of [...(this.portsByNetwork.get(networkId) ?? [])]) this.deletePort(id, networkId);
    this.portsByNetwork.delete(networkId);
    this.deleteNetwork(networkId);
  }

  private onBatch(batch: WatchBatch): void {
    if (this.closed) return;
    for (const event of batch.events) {
      this.counters.events++;
      if (event.type === 'reset') {
        this.reset();
        continue;
      }
      this.route(event);
    }
    this.sink.changed();
  }

  /** History was lost: every held network and the chassis are read again. */
  private reset(): void {
    this.counters.resets++;
    for (const [networkId, state] of [...this.subscriptions]) this.load(networkId, state.refs);
    for (const [portId, network] of this.wanted) if (network === undefined) this.resolve(portId);
    this.store.list('chassis').then(
      (chassis) => {
        if (this.closed) return;
        const live = new Set(chassis.items.map((c) => c.id));
        for (const id of [...this.nameOfChassis.keys()]) if (!live.has(id)) this.deleteChassis(id);
        for (const c of chassis.items) this.putChassis(c);
        this.sink.changed();
      },
      (error: unknown) => this.sink.error?.('list chassis after a watch reset', error),
    );
  }

  private route(event: Change): void {
    if (event.table === 'chassis') {
      if (event.type === 'put') this.putChassis(event.object as Chassis);
      else this.deleteChassis(event.prev.id);
      return;
    }
    const object = (event.type === 'put' ? event.object : event.prev) as LogicalPort | LogicalSwitch;
    const networkId = event.table === 'logical_port' ? (object as LogicalPort).networkId : object.id;
    if (event.table === 'logical_port' && this.wanted.has(object.id)) this.wantedPortEvent(event, networkId);
    const state = this.subscriptions.get(networkId);
    if (state === undefined) {
      this.counters.dropped++;
      return;
    }
    if (state.kind === 'loading') state.buffer.push(event);
    else this.apply(event);
  }

  /** A port an interface here carries appeared or went: hold or release its network. */
  private wantedPortEvent(event: Change, networkId: string): void {
    const id = event.type === 'put' ? event.object.id : event.prev.id;
    const known = this.wanted.get(id);
    if (event.type === 'put' && known === undefined) this.resolved(id, networkId);
    else if (event.type === 'delete' && known !== undefined) {
      this.wanted.set(id, undefined);
      this.unref(known);
    }
  }

  private apply(event: Change): void {
    if (event.table === 'logical_port') {
      if (event.type === 'put') this.putPort(event.object as LogicalPort);
      else if ((this.versions.get(event.prev.id) ?? -1) <= event.prev.version)
        this.deletePort(event.prev.id, (event.prev as LogicalPort).networkId);
    } else if (event.table === 'logical_switch') {
      if (event.type === 'put') this.putNetwork(event.object as LogicalSwitch);
      else if ((this.versions.get(event.prev.id) ?? -1) <= event.prev.version)
        this.deleteNetwork(event.prev.id);
    }
  }

  private newer(id: string, version: number): boolean {
    const held = this.versions.get(id);
    if (held !== undefined && held >= version) return false;
    this.versions.set(id, version);
    return true;
  }

  private putPort(port: LogicalPort): void {
    if (!this.newer(port.id, port.version)) return;
    let ids = this.portsByNetwork.get(port.networkId);
    if (ids === undefined) this.portsByNetwork.set(port.networkId, (ids = new Set()));
    ids.add(port.id);
    this.sink.ports.set(port.id, portView(port));
    this.sink.portStatus?.(port.id, port);
  }

  private deletePort(id: string, networkId: string): void {
    this.versions.delete(id);
    const ids = this.portsByNetwork.get(networkId);
    ids?.delete(id);
    if (ids?.size === 0) this.portsByNetwork.delete(networkId);
    if (this.sink.ports.delete(id)) this.sink.portStatus?.(id, undefined);
  }

  private putNetwork(network: LogicalSwitch): void {
    if (!this.newer(network.id, network.version)) return;
    this.sink.networks.set(network.id, networkView(network));
  }

  private deleteNetwork(id: string): void {
    this.versions.delete(id);
    this.sink.networks.delete(id);
  }

  private putChassis(chassis: Chassis): void {
    let byId = this.incarnations.get(chassis.name);
    if (byId === undefined) this.incarnations.set(chassis.name, (byId = new Map<string, Chassis>()));
    byId.set(chassis.id, chassis);
    this.nameOfChassis.set(chassis.id, chassis.name);
    this.refreshChassisName(chassis.name);
  }

  private deleteChassis(id: string): void {
    const name = this.nameOfChassis.get(id);
    if (name === undefined) return;
    this.nameOfChassis.delete(id);
    const byId = this.incarnations.get(name);
    byId?.delete(id);
    if (byId?.size === 0) this.incarnations.delete(name);
    this.refreshChassisName(name);
  }

  /** A name is served by its newest incarnation (a restarted controller's, once it registered). */
  private refreshChassisName(name: string): void {
    let newest: Chassis | undefined;
    for (const c of this.incarnations.get(name)?.values() ?? []) {
      const newer =
        newest === undefined ||
        c.createdAt > newest.createdAt ||
        (c.createdAt === newest.createdAt && c.uniqueKey > newest.uniqueKey);
      if (newer) newest = c;
    }
    if (newest === undefined) this.sink.chassis.delete(name);
    else this.sink.chassis.set(name, chassisView(newest));
  }
}
