// A small typed event emitter.
// Why not node:events? Listeners run inside our socket and replica code paths; a listener that
// throws must not corrupt our state or tear a half-applied update. Here a throwing listener is
// isolated: its error goes to the `error` listeners if any exist, otherwise it is re-thrown on a
// later tick (the same visibility as an unhandled EventEmitter error, but after our state is
// consistent).

export type Listener<A extends readonly unknown[]> = (...args: A) => void;
export type EventMap = { readonly [event: string]: readonly unknown[] };

export class TypedEmitter<E extends EventMap> {
  private readonly listeners = new Map<keyof E, Set<Listener<never>>>();
  private readonly errorListeners = new Set<(error: unknown) => void>();

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const stored: Listener<never> = listener;
    set.add(stored);
    return () => {
      set.delete(stored);
    };
  }

  once<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    const off = this.on(event, (...args: E[K]) => {
      off();
      listener(...args);
    });
    return off;
  }

  /** Resolves with the arguments of the next `event`. */
  next<K extends keyof E>(event: K, signal?: AbortSignal): Promise<E[K]> {
    return new Promise((resolve, reject) => {
      const off = this.once(event, (...args: E[K]) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(args);
      });
      const onAbort = (): void => {
        off();
        reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Receives errors thrown by other listeners. */
  onListenerError(listener: (error: unknown) => void): () => void {
    this.errorListeners.add(listener);
    return () => {
      this.errorListeners.delete(listener);
    };
  }

  listenerCount(event: keyof E): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  protected emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<E[K]>)(...args);
      } catch (error) {
        this.reportListenerError(error);
      }
    }
  }

  private reportListenerError(error: unknown): void {
    if (this.errorListeners.size === 0) {
      process.nextTick(() => {
        throw error;
      });
      return;
    }
    for (const listener of this.errorListeners) {
      try {
        listener(error);
      } catch (nested) {
        process.nextTick(() => {
          throw nested;
        });
      }
    }
  }
}
