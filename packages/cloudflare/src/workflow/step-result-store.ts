/**
 * Where a Workflow keeps the results of its steps outside the Workflows engine: results too large for a step's
 * 1 MiB limit, and the proof that a subtask completed when the process died before its `task-end` event was
 * stored (so a replay reuses the result instead of paying for the subtask again). `d1Store` provides one as
 * `stepResults`; any other durable key-value store fits.
 */
export interface StepResultStore {
  /** Stores the JSON-serializable `value` of step `key` of run `runId`, replacing an earlier one. */
  save(runId: string, key: string, value: unknown): Promise<void>;
  /** The value stored for step `key` of run `runId`, wrapped so that a stored `undefined` is told apart from none. */
  load(runId: string, key: string): Promise<{ value: unknown } | undefined>;
  /** Deletes every result of run `runId` (once the run has ended, they are no longer needed). */
  deleteRun(runId: string): Promise<void>;
}
