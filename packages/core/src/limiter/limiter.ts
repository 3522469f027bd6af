import type { Usage } from "../types/usage.js";

/** A slot granted by a {@link Limiter}. Release it exactly once, reporting the tokens the call spent. */
export interface LimiterPermit {
  /** Frees the slot; `usage` feeds the tokens-per-minute window. Calling it twice does nothing. */
  release(usage?: Partial<Usage>): void;
}

/**
 * Paces model calls across runs: concurrency, requests per minute and tokens per minute per key (a model id),
 * so sibling workers slow down together instead of all hitting 429. Share one instance across orchestrators.
 */
export interface Limiter {
  /**
   * Waits for a slot for `key`, in FIFO order. Rejects with the signal's reason when it aborts while waiting
   * (and then holds no slot).
   */
  acquire(key: string, signal?: AbortSignal): Promise<LimiterPermit>;
}
