import { OrchestrateError, type SerializedError } from "../errors/orchestrate-error.js";
import { foldState, type RunState } from "../run/fold-run.js";
import { RunLog } from "../run/run-log.js";
import type { RunStore } from "../store/run-store.js";
import type { RunView } from "../types/run-view.js";
import { isFinalRunStatus } from "../types/status.js";
import { runNotFound } from "./read-run.js";

const maxAttempts = 5;

/** How {@link endStoredRun} ends a run. */
export interface RunEnding {
  status: "failed" | "cancelled";
  error: SerializedError;
}

/** Options for {@link endStoredRun}. */
export interface EndStoredRunOptions {
  /** Called with every fold of the stored log before anything is appended; throw to refuse (not found, tenant). */
  check?: (state: RunState) => void;
  /** @default Date.now */
  now?: () => number;
}

/**
 * Ends a run from outside the process that executes it (a cancel from another instance, a Workflow instance
 * found dead), through the log itself: appends `run-end` with `ending` at the stored seq, with the usage so far,
 * unless the log is already final. The owner's next append then fails with `STORE_CONFLICT`, it reads the log,
 * sees the run ended and stops. A race with the owner's appends is retried on the fresh log. A run reserved
 * but never started (no events) is ended too. Answers the view after.
 */
export async function endStoredRun(
  store: RunStore,
  runId: string,
  ending: RunEnding,
  options: EndStoredRunOptions = {},
): Promise<RunView> {
  for (let attempt = 1; ; attempt++) {
    const state = foldState(runId, await store.readEvents(runId));
    options.check?.(state);
    if (isFinalRunStatus(state.view.status)) return state.view;
    const log = new RunLog({
      store,
      state,
      now: options.now ?? Date.now,
      emit: () => {},
      onWriteError: () => {},
    });
    const { inputTokens, outputTokens, totalTokens } = state.view.usage;
    log.append({ type: "run-end", ...ending, usage: { inputTokens, outputTokens, totalTokens } });
    try {
      await log.flush();
      return state.view;
    } catch (error) {
      const conflict = OrchestrateError.isInstance(error) && error.code === "STORE_CONFLICT";
      if (!conflict || attempt >= maxAttempts) throw error;
    }
  }
}

/** Cancels a run that another process executes (see {@link endStoredRun}); `RUN_NOT_FOUND` for another tenant's. */
export function cancelStoredRun(
  store: RunStore,
  runId: string,
  tenant: string | undefined,
  now: () => number,
): Promise<RunView> {
  return endStoredRun(
    store,
    runId,
    { status: "cancelled", error: { code: "CANCELLED", message: `Run ${runId} was cancelled.` } },
    {
      now,
      check: (state) => {
        if (state.view.seq === 0 || state.view.tenant !== tenant) throw runNotFound(runId);
      },
    },
  );
}
