import { EventEmitter } from "eventemitter3";
import { OrchestrateError } from "../errors/orchestrate-error.js";
import { applyEvent, createRunState } from "../run/fold-run.js";
import { isLiveOnlyEvent } from "../types/run-event.js";
import type { RunView } from "../types/run-view.js";
import { isFinalRunStatus } from "../types/status.js";
import type { RunEventEmitter, RunEventMap } from "./orchestrator.js";
import { runNotFound } from "./read-run.js";
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
    // The subscription replays the whole stored log, so the final view is folded as it arrives.
    const state = createRunState(options.runId);
    let ended = false;
    for await (const event of subscribeRun({ ...options, after: 0, deltas: true })) {
      emitter.emit(event.type, event as never);
      emitter.emit("event", event);
      if (isLiveOnlyEvent(event)) continue;
      applyEvent(state, event);
      ended = event.type === "run-end";
    }
    if (state.view.seq === 0) throw runNotFound(options.runId);
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
