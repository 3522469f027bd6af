import { OrchestrateError } from "../errors/orchestrate-error.js";
import type { RunStore } from "../store/run-store.js";
import { emptyUsage } from "../types/usage.js";

/** How many lease durations an unstarted run is given before it is closed. */
const graceLeases = 10;

/**
 * Closes a run whose creation never completed: its record exists but its `run-start` was never stored (the store
 * failed right after `createRun`, and the request was never retried to adopt it). Without this, such records
 * would stay "expired" forever and take `recover()`'s places from real crashed runs. It is given
 * {@link graceLeases} lease durations first, so that a retry of the same request can still adopt it. Answers
 * whether it closed the run.
 */
export async function abandonUnstartedRun(
  store: RunStore,
  runId: string,
  options: { now: number; leaseMs: number },
): Promise<boolean> {
  const record = await store.getRun(runId);
  if (record?.lastSeq !== 0 || record.createdAt > options.now - graceLeases * options.leaseMs) return false;
  try {
    await store.append({
      runId,
      expectedSeq: 0,
      status: "failed",
      events: [
        {
          type: "run-end",
          runId,
          seq: 1,
          at: options.now,
          status: "failed",
          usage: emptyUsage(),
          error: {
            code: "INTERNAL",
            message: `Run ${runId} was never started: its creation did not complete (run-start was not stored).`,
          },
        },
      ],
    });
    return true;
  } catch (error) {
    // Someone adopted or closed it meanwhile.
    if (OrchestrateError.isInstance(error) && error.code === "STORE_CONFLICT") return false;
    throw error;
  }
}
