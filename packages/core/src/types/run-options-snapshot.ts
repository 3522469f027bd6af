import type { FailurePolicy } from "./failure-policy.js";
import type { RetryOptions } from "./retry-options.js";

/**
 * The execution options of a run, stored in its `run-start` event so that any process can resume it with the
 * same limits. Roles, stores and callbacks are code and are not stored.
 */
export interface RunOptionsSnapshot {
  /** Max workers in flight for this run. */
  concurrency: number;
  /** Max subtasks in a plan. */
  maxSubtasks: number;
  /** What happens when a subtask fails for good. */
  failurePolicy: FailurePolicy;
  /** Retry policy for worker calls. */
  retry: Required<RetryOptions>;
  /** Timeouts, in milliseconds; absent means none. */
  timeouts: { taskMs?: number; runMs?: number };
  /** Token budget; absent means none. */
  budget: { maxTokens?: number };
}
