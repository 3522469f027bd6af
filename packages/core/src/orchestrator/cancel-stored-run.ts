import { OrchestrateError } from "../errors/orchestrate-error.js";
import { RunLog } from "../run/run-log.js";
import type { RunStore } from "../store/run-store.js";
import type { RunView } from "../types/run-view.js";
import { isFinalRunStatus } from "../types/status.js";
import { readRunState, runNotFound } from "./read-run.js";

const maxAttempts = 5;

/**
 * Cancels a run that another process executes, through the log itself: appends `run-end` (cancelled) at the
 * stored seq. The owner's next append then fails with `STORE_CONFLICT`, it reads the log, sees the run ended and
 * stops. A race with the owner's own appends is retried on the fresh log.
 */
export async function cancelStoredRun(
  store: RunStore,
  runId: string,
  tenant: string | undefined,
  now: () => number,
): Promise<RunView> {
  for (let attempt = 1; ; attempt++) {
    const state = await readRunState(store, runId);
    if (!state || state.view.tenant !== tenant) throw runNotFound(runId);
    if (isFinalRunStatus(state.view.status)) return state.view;
    const log = new RunLog({ store, state, now, emit: () => {}, onWriteError: () => {} });
    const { inputTokens, outputTokens, totalTokens } = state.view.usage;
    log.append({
      type: "run-end",
      status: "cancelled",
      usage: { inputTokens, outputTokens, totalTokens },
      error: { code: "CANCELLED", message: `Run ${runId} was cancelled.` },
    });
    try {
      await log.flush();
      return structuredClone(state.view);
    } catch (error) {
      const conflict = OrchestrateError.isInstance(error) && error.code === "STORE_CONFLICT";
      if (!conflict || attempt >= maxAttempts) throw error;
    }
  }
}
