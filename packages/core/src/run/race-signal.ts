/** Per signal, the rejections of the calls racing it; one abort listener per signal serves them all. */
const racing = new WeakMap<AbortSignal, Set<(reason: unknown) => void>>();

/**
 * Settles with `promise`, or rejects with `signal.reason` as soon as `signal` aborts, whichever comes first.
 * A role that ignores its signal cannot hold the run: the scheduler moves on and its late result is dropped.
 *
 * A signal gets one abort listener, however many calls race it: adding and removing an `EventTarget` listener
 * per call cost more than the rest of the call's bookkeeping, and a streaming planner races every chunk.
 */
export function raceSignal<TValue>(promise: Promise<TValue>, signal: AbortSignal): Promise<TValue> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  const pending = racersOf(signal);
  return new Promise<TValue>((resolve, reject) => {
    pending.add(reject);
    promise.then(
      (value) => {
        pending.delete(reject);
        resolve(value);
      },
      (error: unknown) => {
        pending.delete(reject);
        reject(error);
      },
    );
  });
}

function racersOf(signal: AbortSignal): Set<(reason: unknown) => void> {
  const existing = racing.get(signal);
  if (existing) return existing;
  const pending = new Set<(reason: unknown) => void>();
  racing.set(signal, pending);
  signal.addEventListener(
    "abort",
    () => {
      for (const reject of pending) reject(signal.reason);
      pending.clear();
    },
    { once: true },
  );
  return pending;
}
