/**
 * What a run does when a subtask fails for good (after its retries).
 * - `"settle"`: dependents of the failed task are skipped, every other task still runs, and the aggregator
 *   gets what succeeded plus a list of what failed. The run fails only when no task succeeded.
 * - `"fail-fast"`: in-flight siblings are aborted and the run fails with `TASK_FAILED`.
 */
export type FailurePolicy = "settle" | "fail-fast";
