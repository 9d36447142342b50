// Exponential reconnect backoff with jitter. Jitter spreads the reconnects of many clients after
// a server restart so they do not all arrive at once.

export interface BackoffOptions {
  /** First delay after a failure. Default 100 ms. */
  readonly initialDelayMs?: number;
  /** Ceiling. Default 8 s (ovsdb-idl uses 8 s too). */
  readonly maxDelayMs?: number;
  /** Growth per consecutive failure. Default 2. */
  readonly multiplier?: number;
  /** Each delay is scaled by a random factor in [1 - jitter, 1]. Default 0.2; 0 disables. */
  readonly jitter?: number;
  /** Source of randomness in [0, 1); injectable for tests. */
  readonly random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly multiplier: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.initialDelayMs = options.initialDelayMs ?? 100;
    this.maxDelayMs = Math.max(options.maxDelayMs ?? 8_000, this.initialDelayMs);
    this.multiplier = Math.max(options.multiplier ?? 2, 1);
    this.jitter = Math.min(Math.max(options.jitter ?? 0.2, 0), 1);
    this.random = options.random ?? Math.random;
  }

  /** The delay before the next attempt; each call counts as one more failure. */
  next(): number {
    const base = Math.min(this.initialDelayMs * this.multiplier ** this.attempt, this.maxDelayMs);
    if (base < this.maxDelayMs) this.attempt++;
    return Math.round(base * (1 - this.jitter * this.random()));
  }

  reset(): void {
    this.attempt = 0;
  }
}
