import { normalizeUsage, type Usage } from "../types/usage.js";
import type { LimiterPermit } from "./limiter.js";
import type { LimiterKeyOptions } from "./limiter-options.js";
import { RequestWindow } from "./request-window.js";
import { TokenWindow } from "./token-window.js";
import { type QueueNode, WaiterQueue } from "./waiter-queue.js";

interface Waiter {
  resolve(permit: LimiterPermit): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * The limiter state of one key: a FIFO queue of waiters, the calls in flight, and the request and token
 * windows. Waiters are granted strictly in order; the head waits for a free slot (woken by a release) or for
 * a window to open (woken by one timer per key).
 */
export class KeyLimiter {
  private readonly concurrency: number;
  private readonly requests: RequestWindow | undefined;
  private readonly tokens: TokenWindow | undefined;
  private readonly waiters = new WaiterQueue<Waiter>();
  private inFlight = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(limits: LimiterKeyOptions) {
    this.concurrency = limits.concurrency ?? Number.POSITIVE_INFINITY;
    this.requests =
      limits.requestsPerMinute === undefined ? undefined : new RequestWindow(limits.requestsPerMinute);
    this.tokens = limits.tokensPerMinute === undefined ? undefined : new TokenWindow(limits.tokensPerMinute);
  }

  /** Waits for a slot in FIFO order; see {@link Limiter.acquire}. */
  acquire(signal: AbortSignal | undefined): Promise<LimiterPermit> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<LimiterPermit>((resolve, reject) => {
      const waiter: Waiter = { resolve, signal, onAbort: undefined };
      const node = this.waiters.push(waiter);
      if (signal !== undefined) {
        waiter.onAbort = () => this.abandon(node, reject);
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.drain();
    });
  }

  private abandon(node: QueueNode<Waiter>, reject: (reason: unknown) => void): void {
    if (!node.queued) return;
    this.waiters.remove(node);
    reject(node.value.signal?.reason);
    // The waiter behind it may now be at the head, and the timer may no longer be needed.
    this.drain();
  }

  private drain(): void {
    while (this.waiters.size > 0 && this.inFlight < this.concurrency) {
      const now = Date.now();
      const availableAt = Math.max(
        this.requests?.nextAvailableAt(now) ?? now,
        this.tokens?.nextAvailableAt(now) ?? now,
      );
      if (availableAt > now) {
        this.wakeAt(availableAt, now);
        return;
      }
      this.grant(this.waiters.shift()!, now);
    }
    // Nothing waits on time any more: either the queue is empty or the head waits for a release.
    this.clearTimer();
  }

  private grant(waiter: Waiter, now: number): void {
    if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener("abort", waiter.onAbort);
    this.inFlight++;
    this.requests?.record(now);
    let released = false;
    waiter.resolve({
      release: (usage?: Partial<Usage>) => {
        if (released) return;
        released = true;
        this.inFlight--;
        if (usage !== undefined) this.tokens?.record(Date.now(), normalizeUsage(usage).totalTokens);
        this.drain();
      },
    });
  }

  private wakeAt(at: number, now: number): void {
    if (this.timer !== undefined && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.drain();
    }, at - now);
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }
}
