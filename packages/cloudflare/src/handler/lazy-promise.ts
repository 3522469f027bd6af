/**
 * A promise whose work starts only when somebody waits for its value: `await`, `then(onFulfilled)` or
 * `finally`. Attaching only an error handler (`catch`, as a fire-and-forget caller does to avoid an unhandled
 * rejection) starts nothing; that handler still runs if the work is started later and fails.
 */
export function lazyPromise<TValue>(start: () => Promise<TValue>): Promise<TValue> {
  let started: Promise<TValue> | undefined;
  const pending: Array<(promise: Promise<TValue>) => void> = [];
  const begin = () => {
    if (!started) {
      started = start();
      for (const attach of pending.splice(0)) attach(started);
    }
    return started;
  };
  const lazy: Promise<TValue> = {
    // biome-ignore lint/suspicious/noThenProperty: this object is a promise.
    then(onFulfilled, onRejected) {
      if (onFulfilled == null && !started) {
        return new Promise((resolve) =>
          pending.push((promise) => resolve(promise.then(undefined, onRejected))),
        );
      }
      return begin().then(onFulfilled, onRejected);
    },
    catch: (onRejected) => lazy.then(undefined, onRejected),
    finally: (onFinally) => begin().finally(onFinally),
    [Symbol.toStringTag]: "Promise",
  };
  return lazy;
}
