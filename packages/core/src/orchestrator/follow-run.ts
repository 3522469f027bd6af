import { EventEmitter } from "eventemitter3";
import { OrchestrateError } from "../errors/orchestrate-error.js";
import type { RunView } from "../types/run-view.js";
import { isFinalRunStatus } from "../types/status.js";
import type { RunEventEmitter, RunEventMap } from "./orchestrator.js";
import { readRunState, runNotFound } from "./read-run.js";
import { type SubscribeRunOptions, subscribeRun } from "./subscribe-run.js";

type FollowOptions = Omit<SubscribeRunOptions, "after" | "deltas">;

/** A run followed from the outside: its events re-emitted, and its final view. */
export interface FollowedRun {
  readonly events: RunEventEmitter;
  readonly result: Promise<RunView>;
}

/**
 * Follows a run executing elsewhere (an idempotent `start` that matched an existing run): re-emits its events
 * on a typed emitter and resolves with its final view. Lazy: nothing is subscribed until `events` or `result`
 * is first read, so a caller that only wanted the id (an HTTP replay) leaves nothing behind.
 */
export function followRun(options: FollowOptions): FollowedRun {
  let followed: FollowedRun | undefined;
  const follow = () => {
    followed ??= startFollowing(options);
    return followed;
  };
  return {
    get events() {
      return follow().events;
    },
    get result() {
      return follow().result;
    },
  };
}

function startFollowing(options: FollowOptions): FollowedRun {
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
