// Port status, reported to the northbound store through core (the only writer of the model): a
// port bound to this chassis is ACTIVE once the barrier after its flows came back, and DOWN when
// its interface goes away (or it is set admin down). Writes are coalesced per port (the latest
// wanted status wins), bounded in number in flight, retried with backoff, and skipped when the
// store already says so — the controller learns what the store says from its own watch.
import { setPortStatus, type CoreContext } from '@weir/core';
import type { LogicalPort } from '@weir/model';

type Status = LogicalPort['status'];

export interface PortStatusOptions {
  /** Writes in flight at once. Default 16. */
  readonly concurrency?: number;
  readonly onError?: (portId: string, error: unknown) => void;
}

export interface PortStatusStats {
  writes: number;
  failures: number;
}

export class PortStatusReporter {
  /** What this controller wants each port's status to be. */
  private readonly wanted = new Map<string, Status>();
  /** What the store says (from the watch), for ports this controller sees. */
  private readonly stored = new Map<string, Status>();
  /** The last object seen of ports bound here: a status write goes out without a read first. */
  private readonly objects = new Map<string, LogicalPort>();
  private readonly queue = new Set<string>();
  /** Ports whose wanted status is reported once, then forgotten (reportOnce). */
  private readonly once = new Set<string>();
  private inFlight = 0;
  private closed = false;
  private readonly concurrency: number;
  readonly stats: PortStatusStats = { writes: 0, failures: 0 };
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly ctx: CoreContext,
    private readonly chassis: string,
    private readonly options: PortStatusOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 16;
  }

  /** The port as the store has it (undefined: the port is gone or no longer watched here). */
  observed(id: string, port: LogicalPort | undefined): void {
    if (port === undefined) {
      this.stored.delete(id);
      this.wanted.delete(id);
      this.objects.delete(id);
      return;
    }
    this.stored.set(id, port.status);
    if (port.binding.hostId === this.chassis) this.objects.set(id, port);
    else this.objects.delete(id);
    if (this.wanted.has(id) && this.wanted.get(id) !== port.status) this.enqueue(id);
  }

  want(id: string, status: Status): void {
    this.wanted.set(id, status);
    this.once.delete(id);
    if (this.stored.get(id) !== status) this.enqueue(id);
  }

  /**
   * Reports `status` once and then forgets the port: for a port that just left this chassis
   * (unplugged, admin down), whose network this controller may no longer hold.
   */
  reportOnce(id: string, status: Status): void {
    this.wanted.set(id, status);
    this.once.add(id);
    this.stored.delete(id);
    this.enqueue(id);
  }

  /** Nothing to report for this port any more (it left this chassis). */
  forget(id: string): void {
    this.objects.delete(id);
    this.wanted.delete(id);
    this.queue.delete(id);
    this.once.delete(id);
  }

  close(): void {
    this.closed = true;
    this.queue.clear();
  }

  /** Resolves when no write is queued or in flight. */
  idle(): Promise<void> {
    if (this.inFlight === 0 && this.queue.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(id: string): void {
    if (this.closed) return;
    this.queue.add(id);
    this.drain();
  }

  private drain(): void {
    while (!this.closed && this.inFlight < this.concurrency && this.queue.size > 0) {
      const id = this.queue.values().next().value as string;
      this.queue.delete(id);
      const status = this.wanted.get(id);
      if (status === undefined || this.stored.get(id) === status) {
        if (this.once.has(id)) this.forget(id);
        continue;
      }
      this.inFlight++;
      void this.write(id, status, 0);
    }
    if (this.inFlight === 0 && this.queue.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async write(id: string, status: Status, attempt: number): Promise<void> {
    try {
      const current = this.objects.get(id);
      const port = await setPortStatus(this.ctx, id, status, {
        boundTo: this.chassis,
        ...(current === undefined ? {} : { current }),
      });
      this.stats.writes++;
      // What the store holds now (our write, or someone else's binding): the watch confirms it too.
      if (this.once.has(id) && this.wanted.get(id) === status) {
        this.forget(id);
        this.stored.delete(id);
      } else if (port !== undefined && port.binding.hostId === this.chassis) this.stored.set(id, port.status);
      this.inFlight--;
    } catch (error) {
      this.stats.failures++;
      this.options.onError?.(id, error);
      this.inFlight--;
      if (!this.closed && attempt < 8) {
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)).unref());
        if (this.wanted.get(id) === status) {
          this.inFlight++;
          void this.write(id, status, attempt + 1);
          return;
        }
      }
    }
    this.drain();
  }
}
