import type { OrchestrateError } from "../errors/orchestrate-error.js";
import type { RetryOptions } from "../types/retry-options.js";
import { computeRetryDelay, shouldRetry, toOrchestrateError } from "./retry-policy.js";
import { sleep } from "./sleep.js";

/** Options for {@link withRetries}. */
export interface WithRetriesOptions {
  retry: Required<RetryOptions>;
  signal: AbortSignal;
  runId: string;
  role: "orchestrator" | "aggregator";
  /** Whether a failure may still be retried (a streaming planner that already produced tasks may not). */
  canRetry?: () => boolean;
}

/**
 * Runs a planner or aggregator call with the run's retry policy. Throws the classified
 * {@link OrchestrateError} of the last attempt. Workers retry in the task runner instead, because each of
 * their attempts is an event.
 */
export function withRetries<TResult>(
  call: (attempt: number) => Promise<TResult>,
  options: WithRetriesOptions,
): Promise<TResult> {
  // The first attempt without an async frame around it: most calls succeed at once.
  let first: Promise<TResult>;
  try {
    first = call(1);
  } catch (error) {
    // A role that throws before returning a promise is retried and classified like one that rejects.
    first = Promise.reject(error);
  }
  return first.catch((error: unknown) => retry(call, options, 1, error));
}

async function retry<TResult>(
  call: (attempt: number) => Promise<TResult>,
  options: WithRetriesOptions,
  failedAttempt: number,
  firstError: unknown,
): Promise<TResult> {
  let error = firstError;
  for (let attempt = failedAttempt; ; attempt++) {
    if (options.signal.aborted) throw options.signal.reason;
    const failure: OrchestrateError = toOrchestrateError(error, {
      runId: options.runId,
      role: options.role,
    });
    if (!shouldRetry(failure, attempt, options.retry) || options.canRetry?.() === false) throw failure;
    await sleep(computeRetryDelay(attempt, options.retry, failure), options.signal);
    try {
      return await call(attempt + 1);
    } catch (next) {
      // Synchronous throws land here too.
      error = next;
    }
  }
}
