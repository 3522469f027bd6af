import { invalidArgument } from "../errors/orchestrate-error.js";
import { KeyLimiter } from "./key-limiter.js";
import type { Limiter } from "./limiter.js";
import { type LimiterOptions, resolveKeyLimits, validateLimiterOptions } from "./limiter-options.js";

/**
 * Creates an in-process {@link Limiter}. Each key (a model id such as `"openai:gpt-5"`) gets its own
 * concurrency, requests-per-minute and tokens-per-minute budget: the top-level limits, overridden by
 * `options.keys[key]`. Waiters are served FIFO per key; requests and tokens are counted over a sliding
 * 60-second window, tokens as reported to `permit.release(usage)`. Share one instance across orchestrators.
 *
 * @example
 * const limiter = createLimiter({ concurrency: 8, keys: { "openai:gpt-5": { requestsPerMinute: 500 } } });
 * const permit = await limiter.acquire("openai:gpt-5", signal);
 * try { usage = await call(); } finally { permit.release(usage); }
 *
 * @throws OrchestrateError `INVALID_ARGUMENT` naming the option when a limit is not a positive integer.
 */
export function createLimiter(options: LimiterOptions): Limiter {
  validateLimiterOptions(options);
  const limits = copyOptions(options);
  const keyLimiters = new Map<string, KeyLimiter>();
  return {
    acquire(key, signal) {
      if (typeof key !== "string" || key === "") {
        return Promise.reject(invalidArgument("key", "a non-empty string", key));
      }
      let keyLimiter = keyLimiters.get(key);
      if (keyLimiter === undefined) {
        keyLimiter = new KeyLimiter(resolveKeyLimits(limits, key));
        keyLimiters.set(key, keyLimiter);
      }
      return keyLimiter.acquire(signal);
    },
  };
}

/** A copy, so changing the caller's object later does not change limits already validated. */
function copyOptions(options: LimiterOptions): LimiterOptions {
  // Object.fromEntries defines own properties, so even a key named "__proto__" stays an ordinary key.
  const keys = Object.fromEntries(
    Object.entries(options.keys ?? {}).map(([key, keyOptions]) => [key, { ...keyOptions }]),
  );
  return { ...options, keys };
}
