/**
 * Memoizes `create(env)` per `env` object: bindings are the same object for every request an isolate serves,
 * so stores, models and handlers are built once per isolate instead of once per request.
 */
export function perEnv<TEnv, TValue>(create: (env: TEnv) => TValue): (env: TEnv) => TValue {
  const cache = new WeakMap<object, TValue>();
  return (env) => {
    if (typeof env !== "object" || env === null) return create(env);
    let value = cache.get(env);
    if (value === undefined) {
      value = create(env);
      cache.set(env, value);
    }
    return value;
  };
}
