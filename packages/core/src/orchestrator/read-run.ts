import { OrchestrateError } from "../errors/orchestrate-error.js";
import { foldState, type RunState } from "../run/fold-run.js";
import type { RunStore } from "../store/run-store.js";

/** Folds a run's stored log; `undefined` when the store has no events for it. */
export async function readRunState(store: RunStore, runId: string): Promise<RunState | undefined> {
  const events = await store.readEvents(runId);
  return events.length === 0 ? undefined : foldState(runId, events);
}

/** The error for a run that does not exist, or belongs to another tenant (indistinguishable on purpose). */
export function runNotFound(runId: string): OrchestrateError {
  return new OrchestrateError({ code: "RUN_NOT_FOUND", runId, message: `Run ${runId} was not found.` });
}
