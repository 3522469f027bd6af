/**
 * Settles with `promise`, or rejects with `signal.reason` as soon as `signal` aborts, whichever comes first.
 * A role that ignores its signal cannot hold the run: the scheduler moves on and its late result is dropped.
 * Adds one listener and removes it on settlement.
 */
export function raceSignal<TValue>(promise: Promise<TValue>, signal: AbortSignal): Promise<TValue> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<TValue>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
