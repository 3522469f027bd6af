import { invalidArgument, type OrchestrateError } from "../errors/orchestrate-error.js";
import type { RetryOptions } from "../types/retry-options.js";

// Classification lives in its own file; re-exported because the retry loop uses both together.
export { type ErrorContext, isRetryableStatus, toOrchestrateError } from "./to-orchestrate-error.js";

/** The retry policy used when none is given: 3 attempts, 500 ms doubling up to 10 s, full jitter. */
export const defaultRetryOptions: Readonly<Required<RetryOptions>> = Object.freeze({
  attempts: 3,
  initialDelayMs: 500,
  maxDelayMs: 10_000,
  factor: 2,
  jitter: true,
});

/**
 * The longest `Retry-After` we honor, in milliseconds (one minute, the window AI SDK providers rate-limit on).
 * A longer one is capped to this, so a misbehaving header cannot park a task for hours.
 */
export const maxRetryAfterMs = 60_000;

/**
 * Fills in {@link defaultRetryOptions} for every missing field and validates the result.
 * @throws OrchestrateError `INVALID_ARGUMENT` naming the field (`retry.attempts`, ...) when a value is out of range.
 */
export function resolveRetryOptions(options?: RetryOptions): Required<RetryOptions> {
  const resolved: Required<RetryOptions> = {
    attempts: options?.attempts ?? defaultRetryOptions.attempts,
    initialDelayMs: options?.initialDelayMs ?? defaultRetryOptions.initialDelayMs,
    maxDelayMs: options?.maxDelayMs ?? defaultRetryOptions.maxDelayMs,
    factor: options?.factor ?? defaultRetryOptions.factor,
    jitter: options?.jitter ?? defaultRetryOptions.jitter,
  };
  if (!Number.isSafeInteger(resolved.attempts) || resolved.attempts < 1) {
    throw invalidArgument("retry.attempts", "an integer >= 1", resolved.attempts);
  }
  if (!isNonNegativeFinite(resolved.initialDelayMs)) {
    throw invalidArgument(
      "retry.initialDelayMs",
      "a finite number of milliseconds >= 0",
      resolved.initialDelayMs,
    );
  }
  if (!isNonNegativeFinite(resolved.maxDelayMs)) {
    throw invalidArgument("retry.maxDelayMs", "a finite number of milliseconds >= 0", resolved.maxDelayMs);
  }
  if (typeof resolved.factor !== "number" || !Number.isFinite(resolved.factor) || resolved.factor < 1) {
    throw invalidArgument("retry.factor", "a finite number >= 1", resolved.factor);
  }
  if (typeof resolved.jitter !== "boolean") {
    throw invalidArgument("retry.jitter", "a boolean", resolved.jitter);
  }
  return resolved;
}

/**
 * How long to wait before the next attempt, in milliseconds, after attempt number `attempt` (1-based) failed
 * with `error`. The computed delay is `initialDelayMs * factor ** (attempt - 1)`, capped at `maxDelayMs`, and
 * with `jitter` a uniformly random value between 0 and that ("full jitter", so retries of sibling tasks spread
 * out). When the provider sent a `Retry-After` (`error.retryAfterMs`) it wins over the computed delay, jitter
 * and `maxDelayMs` included, capped at {@link maxRetryAfterMs}.
 * @param random Returns a number in `[0, 1)`; injectable for tests. @default Math.random
 */
export function computeRetryDelay(
  attempt: number,
  options: Required<RetryOptions>,
  error: OrchestrateError,
  random: () => number = Math.random,
): number {
  if (error.retryAfterMs !== undefined && Number.isFinite(error.retryAfterMs)) {
    return Math.min(Math.max(0, error.retryAfterMs), maxRetryAfterMs);
  }
  const exponent = Math.max(0, attempt - 1);
  const delay = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** exponent);
  return options.jitter ? Math.floor(random() * delay) : delay;
}

/**
 * Whether to make another attempt after attempt number `attempt` (1-based) failed with `error`: only while
 * attempts remain, only when the error is retryable, and never for a cancellation. The caller still checks its
 * own abort signal (a run that was cancelled or timed out must not retry its tasks).
 */
export function shouldRetry(
  error: OrchestrateError,
  attempt: number,
  options: Required<RetryOptions>,
): boolean {
  return attempt < options.attempts && error.isRetryable && error.code !== "CANCELLED";
}

function isNonNegativeFinite(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}
