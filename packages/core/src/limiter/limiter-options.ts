import { invalidArgument } from "../errors/orchestrate-error.js";

/** Limits for one key (one model). Every limit is optional; a missing one does not limit. */
export interface LimiterKeyOptions {
  /** Calls in flight at once for the key. */
  concurrency?: number;
  /** Calls started in any 60-second window for the key. */
  requestsPerMinute?: number;
  /**
   * Tokens spent in any 60-second window for the key, as reported to `permit.release(usage)`. New calls wait
   * while the window is at or over the limit; calls already in flight are not counted until they report.
   */
  tokensPerMinute?: number;
}

/**
 * Options for {@link createLimiter}. The top-level limits apply to each key separately (each model gets its own
 * budget); `keys` overrides them field by field for the keys it names.
 */
export interface LimiterOptions extends LimiterKeyOptions {
  /** Per-key overrides, keyed like `acquire(key)`, e.g. `{ "openai:gpt-5": { requestsPerMinute: 500 } }`. */
  keys?: Record<string, LimiterKeyOptions>;
}

const limitNames = ["concurrency", "requestsPerMinute", "tokensPerMinute"] as const;

/**
 * Checks every limit is a positive safe integer (or absent) and that `keys` is a plain object of such limits.
 * @throws OrchestrateError `INVALID_ARGUMENT` naming the exact option, e.g. `limiter.keys["m"].concurrency`.
 */
export function validateLimiterOptions(options: LimiterOptions): void {
  if (!isPlainObject(options)) throw invalidArgument("limiter", "an options object", options);
  validateKeyOptions(options, "limiter", ["keys"]);
  if (options.keys === undefined) return;
  if (!isPlainObject(options.keys)) {
    throw invalidArgument("limiter.keys", "an object of per-key limits", options.keys);
  }
  for (const [key, keyOptions] of Object.entries(options.keys)) {
    const path = `limiter.keys[${JSON.stringify(key)}]`;
    if (!isPlainObject(keyOptions)) throw invalidArgument(path, "an object of limits", keyOptions);
    validateKeyOptions(keyOptions, path, []);
  }
}

/** The limits in force for `key`: the top-level ones, overridden by `options.keys[key]`. */
export function resolveKeyLimits(options: LimiterOptions, key: string): LimiterKeyOptions {
  const overrides =
    options.keys !== undefined && Object.hasOwn(options.keys, key) ? options.keys[key] : undefined;
  return {
    concurrency: overrides?.concurrency ?? options.concurrency,
    requestsPerMinute: overrides?.requestsPerMinute ?? options.requestsPerMinute,
    tokensPerMinute: overrides?.tokensPerMinute ?? options.tokensPerMinute,
  };
}

function validateKeyOptions(options: LimiterKeyOptions, path: string, otherNames: readonly string[]): void {
  // An unknown name is most likely a typo, which would otherwise silently leave a model unlimited.
  for (const name of Object.keys(options)) {
    if (!(limitNames as readonly string[]).includes(name) && !otherNames.includes(name)) {
      const known = [...limitNames, ...otherNames].join(", ");
      throw invalidArgument(
        `${path}.${name}`,
        `no such option (known: ${known})`,
        (options as Record<string, unknown>)[name],
      );
    }
  }
  for (const name of limitNames) {
    const value = options[name];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
      throw invalidArgument(`${path}.${name}`, "a positive integer", value);
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
