/**
 * Waits with sub-millisecond precision. Node's timers fire on whole milliseconds of the event loop's cached
 * clock, so `setTimeout(20)` lasts anywhere from 20 to 21 ms and more: over a run of nine 20 ms phases that
 * jitter has a standard deviation near 1 ms, as large as the library cost the overhead scenario measures. Here
 * one shared timer wakes up shortly before the earliest deadline, and `setImmediate` turns finish the wait, so
 * every call lasts its latency to within a few tens of microseconds. The last stretch keeps the event loop
 * busy, for both contenders alike.
 */
export function preciseDelay(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const waiter: Waiter = { due: performance.now() + ms, resolve, settled: false };
    if (signal) {
      const onAbort = () => {
        waiter.settled = true;
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      waiter.resolve = () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      };
    }
    schedule(waiter);
  });
}

interface Waiter {
  due: number;
  resolve: () => void;
  /** Aborted: skipped when its deadline comes. */
  settled: boolean;
}

/** How long before a deadline the coarse timer wakes up, in milliseconds. */
const wakeEarlyMs = 1.5;

/** Pending waiters, a binary min-heap on `due`. */
const heap: Waiter[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;
let timerDue = Number.POSITIVE_INFINITY;
let spinning = false;

function schedule(waiter: Waiter): void {
  push(waiter);
  arm();
}

function arm(): void {
  if (spinning) return;
  const next = heap[0];
  if (next === undefined) return;
  const wait = next.due - performance.now();
  if (wait <= wakeEarlyMs) {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
      timerDue = Number.POSITIVE_INFINITY;
    }
    spinning = true;
    setImmediate(spin);
    return;
  }
  if (timer !== undefined && timerDue <= next.due) return;
  if (timer !== undefined) clearTimeout(timer);
  timerDue = next.due;
  timer = setTimeout(
    () => {
      timer = undefined;
      timerDue = Number.POSITIVE_INFINITY;
      arm();
    },
    Math.floor(wait - wakeEarlyMs),
  );
}

function spin(): void {
  spinning = false;
  const now = performance.now();
  while (heap.length > 0 && heap[0]!.due <= now) {
    const waiter = pop();
    if (!waiter.settled) {
      waiter.settled = true;
      waiter.resolve();
    }
  }
  arm();
}

function push(waiter: Waiter): void {
  heap.push(waiter);
  let index = heap.length - 1;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (heap[parent]!.due <= waiter.due) break;
    heap[index] = heap[parent]!;
    index = parent;
  }
  heap[index] = waiter;
}

function pop(): Waiter {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length > 0) {
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.due < heap[left]!.due ? right : left;
      if (heap[child]!.due >= last.due) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = last;
  }
  return top;
}
