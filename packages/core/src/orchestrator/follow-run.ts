import { EventEmitter } from "eventemitter3";
import { OrchestrateError } from "../errors/orchestrate-error.js";
import type { RunView } from "../types/run-view.js";
import { isFinalRunStatus } from "../types/status.js";
import type { RunEventEmitter, RunEventMap } from "./orchestrator.js";
import { readRunState, runNotFound } from "./read-run.js";
import { type SubscribeRunOptions, subscribeRun } from "./subscribe-run.js";

/**
 * Follows a run executing elsewhere (an idempotent `start` that matched an existing run): re-emits its events
 * on a typed emitter and resolves with its final view.
 */
export function followRun(options: Omit<SubscribeRunOptions, "after" | "deltas">): {
  events: RunEventEmitter;
  result: Promise<RunView>;
} {
  const emitter: RunEventEmitter = new EventEmitter<RunEventMap>();
  const result = (async () => {
    let ended = false;
    for await (const event of subscribeRun({ ...options, after: 0, deltas: true })) {
      emitter.emit(event.type, event as never);
      emitter.emit("event", event);
      ended = event.type === "run-end";
    }
    const state = await readRunState(options.store, options.runId);
    if (!state) throw runNotFound(options.runId);
    if (!ended && !isFinalRunStatus(state.view.status)) {
      throw new OrchestrateError({
        code: "CANCELLED",
        runId: options.runId,
        message: `Stopped following run ${options.runId}.`,
      });
    }
    return state.view;
  })();
  result.catch(() => {});
  return { events: emitter, result };
}
