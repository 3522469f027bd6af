import type { SerializedError } from "../errors/orchestrate-error.js";
import type { RunOptionsSnapshot } from "./run-options-snapshot.js";
import type { RunEndReason, RunStatus } from "./status.js";
import type { Plan, Subtask } from "./subtask.js";
import type { Usage } from "./usage.js";

/** Fields every event carries. */
export interface RunEventBase {
  /** The run this event belongs to. */
  runId: string;
  /**
   * Position in the run's log, starting at 1 and gap-free over persisted events. A live-only `*-delta` event
   * carries the seq of the last persisted event before it.
   */
  seq: number;
  /** When the event happened, as epoch milliseconds. */
  at: number;
}

/** The run was accepted. The first event of every run. */
export interface RunStartEvent extends RunEventBase {
  type: "run-start";
  /** The user's prompt. */
  prompt: string;
  /** The execution options the run was started with, so that any process can resume it. */
  options: RunOptionsSnapshot;
  /** The tenant the run belongs to, when the caller set one. */
  tenant?: string;
  /** Arbitrary JSON metadata supplied by the caller. */
  metadata?: Record<string, unknown>;
}

/** The orchestrator started (or restarted, with feedback) planning. */
export interface PlanStartEvent extends RunEventBase {
  type: "plan-start";
  /** 1 for the first plan, 2 when the planner is asked again after an invalid plan. */
  attempt: number;
  /** Why an earlier plan was rejected, when `attempt > 1`. Starting a new attempt discards the earlier plan. */
  feedback?: string;
}

/** The planner produced one subtask. With a streaming planner, workers may start before `plan-end`. */
export interface PlanTaskEvent extends RunEventBase {
  type: "plan-task";
  /** The subtask, normalized. */
  task: Subtask;
}

/** The plan is final and valid. Once stored, the plan is never regenerated, not even on resume. */
export interface PlanEndEvent extends RunEventBase {
  type: "plan-end";
  /** The whole plan. */
  plan: Plan;
  /** Tokens spent on planning, over every attempt. */
  usage: Usage;
}

/** A worker started on a subtask. */
export interface TaskStartEvent extends RunEventBase {
  type: "task-start";
  taskId: string;
  /** 1 for the first attempt; higher after retries. */
  attempt: number;
}

/** A chunk of a worker's streamed output. Live only: never persisted. */
export interface TaskDeltaEvent extends RunEventBase {
  type: "task-delta";
  taskId: string;
  /** The text chunk. */
  delta: string;
}

/** An attempt failed and the task will be tried again after `delayMs`. */
export interface TaskRetryEvent extends RunEventBase {
  type: "task-retry";
  taskId: string;
  /** The attempt that failed. */
  attempt: number;
  /** How long the scheduler waits before the next attempt, in milliseconds. */
  delayMs: number;
  /** Why the attempt failed. */
  error: SerializedError;
  /** Tokens the failed attempt spent, if the worker reported any. */
  usage?: Usage;
}

/** A subtask completed. */
export interface TaskEndEvent extends RunEventBase {
  type: "task-end";
  taskId: string;
  /** The worker's output (JSON-serializable). */
  output: unknown;
  /** Tokens the successful attempt spent (earlier attempts report theirs in `task-retry`; the fold sums them). */
  usage: Usage;
}

/**
 * A subtask ended without completing: it failed, or was skipped because a dependency did not complete or the
 * budget ran out. (Tasks still open when a run is cancelled or fails get no event of their own: `run-end` ends
 * them, and the fold marks them `cancelled`.)
 */
export interface TaskErrorEvent extends RunEventBase {
  type: "task-error";
  taskId: string;
  /** The final status of the task. */
  status: "failed" | "skipped";
  /** Why. */
  error: SerializedError;
  /** Tokens the last attempt spent (earlier attempts report theirs in `task-retry`), if the worker reported any. */
  usage?: Usage;
}

/** The aggregator started. */
export interface AggregateStartEvent extends RunEventBase {
  type: "aggregate-start";
}

/** A chunk of the aggregator's streamed output. Live only: never persisted. */
export interface AggregateDeltaEvent extends RunEventBase {
  type: "aggregate-delta";
  /** The text chunk. */
  delta: string;
}

/** The aggregator produced the run's output. */
export interface AggregateEndEvent extends RunEventBase {
  type: "aggregate-end";
  /** The final output (JSON-serializable). */
  output: unknown;
  /** Tokens the aggregator spent. */
  usage: Usage;
}

/** The run ended. The last event of every run. */
export interface RunEndEvent extends RunEventBase {
  type: "run-end";
  /** The final status. */
  status: Extract<RunStatus, "completed" | "failed" | "cancelled">;
  /** Why the run failed or was cancelled. */
  error?: SerializedError;
  /** Why a completed run stopped early, if it did (for example the token budget ran out). */
  reason?: RunEndReason;
  /** Tokens spent by the whole run. */
  usage: Usage;
}

/** Every event a run emits. Discriminate on `type`. */
export type RunEvent =
  | RunStartEvent
  | PlanStartEvent
  | PlanTaskEvent
  | PlanEndEvent
  | TaskStartEvent
  | TaskDeltaEvent
  | TaskRetryEvent
  | TaskEndEvent
  | TaskErrorEvent
  | AggregateStartEvent
  | AggregateDeltaEvent
  | AggregateEndEvent
  | RunEndEvent;

/** The event types that are live only and never stored. */
export type LiveOnlyEvent = TaskDeltaEvent | AggregateDeltaEvent;

/** The events that are stored in a run's log. */
export type PersistedRunEvent = Exclude<RunEvent, LiveOnlyEvent>;

/** The `type` of every event. */
export type RunEventType = RunEvent["type"];

/** The event of a given type. */
export type RunEventOf<TType extends RunEventType> = Extract<RunEvent, { type: TType }>;

/** Whether an event is live-only (a `*-delta`), and so never stored. */
export function isLiveOnlyEvent(event: RunEvent): event is LiveOnlyEvent {
  return event.type === "task-delta" || event.type === "aggregate-delta";
}

/** An event before the log assigned its `runId`, `seq` and `at`. */
export type RunEventInput = RunEvent extends infer TEvent
  ? TEvent extends RunEvent
    ? Omit<TEvent, keyof RunEventBase>
    : never
  : never;

/** A live-only event before the log assigned its `runId`, `seq` and `at`. */
export type LiveOnlyEventInput = Extract<RunEventInput, { type: LiveOnlyEvent["type"] }>;

/** A stored event before the log assigned its `runId`, `seq` and `at`. */
export type PersistedRunEventInput = Exclude<RunEventInput, LiveOnlyEventInput>;
