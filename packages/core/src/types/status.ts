/** The lifecycle of a run. `completed`, `failed` and `cancelled` are final. */
export type RunStatus = "queued" | "running" | "completed" | "failed" | "cancelled";

/** Where a running run is: planning, executing workers, aggregating, or done. */
export type RunPhase = "planning" | "working" | "aggregating" | "done";

/** The lifecycle of one subtask. `completed`, `failed`, `cancelled` and `skipped` are final. */
export type TaskStatus = "pending" | "running" | "completed" | "failed" | "cancelled" | "skipped";

/** Why a run that completed stopped early, if it did. */
export type RunEndReason = "budget-exceeded";

/** Whether a run status is final. */
export function isFinalRunStatus(status: RunStatus): boolean {
  return status === "completed" || status === "failed" || status === "cancelled";
}
