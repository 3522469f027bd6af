import type { EventEmitter } from "eventemitter3";
import type { FailurePolicy } from "../types/failure-policy.js";
import type { RetryOptions } from "../types/retry-options.js";
import type { RunEvent, RunEventOf, RunEventType } from "../types/run-event.js";
import type { RunResult, RunView } from "../types/run-view.js";
import type { RunStatus } from "../types/status.js";

/** Execution limits of a run. Each has a default on the orchestrator (`defaults`) and may be set per run. */
export interface ExecutionOptions {
  /** Max workers in flight for this run; a positive integer. @default 4 */
  concurrency?: number;
  /** Max subtasks the plan may have (the planner is told); 1 to 10000. @default 10 */
  maxSubtasks?: number;
  /** What happens when a subtask fails for good. @default "settle" */
  failurePolicy?: FailurePolicy;
  /** Retry policy for model and worker calls. @default { attempts: 3, initialDelayMs: 500, maxDelayMs: 10000, factor: 2, jitter: true } */
  retry?: RetryOptions;
  /** Timeouts in milliseconds: `taskMs` per worker attempt (a timed-out attempt is retried), `runMs` for the whole run. @default none */
  timeouts?: { taskMs?: number; runMs?: number };
  /**
   * Token budget: once the run has spent `maxTokens` (total tokens, all roles), no new subtask starts, the ones in
   * flight finish, the aggregator still runs on what completed, and the run ends with `reason: "budget-exceeded"`.
   * @default none
   */
  budget?: { maxTokens?: number };
}

/** Options for one run. */
export interface RunOptions extends ExecutionOptions {
  /** Cancels the run: in-flight calls are aborted and the run settles as `cancelled` at once. */
  signal?: AbortSignal;
  /** Called with every event, after it is stored (`*-delta` events are live only). */
  onEvent?: (event: RunEvent) => void;
  /** A caller-chosen run id. Creating a run with an id that exists returns that run instead. @default a random UUID */
  runId?: string;
  /** Makes creation idempotent per tenant: the same key returns the same run. */
  idempotencyKey?: string;
  /** Stored with an idempotency key; a replay with another fingerprint is an `IDEMPOTENCY_CONFLICT`. */
  fingerprint?: string;
  /** The tenant the run belongs to; runs are listed and looked up per tenant. */
  tenant?: string;
  /** JSON metadata stored with the run. */
  metadata?: Record<string, unknown>;
}

/** The events of a run as an eventemitter3 map: one name per event type, plus `"event"` for all of them. */
export type RunEventMap = { [TType in RunEventType]: [event: RunEventOf<TType>] } & {
  event: [event: RunEvent];
};

/** A typed eventemitter3 emitter of one run's events. */
export type RunEventEmitter = EventEmitter<RunEventMap>;

/** A run started with {@link Orchestrator.start}. */
export interface RunHandle<TOutput = unknown> {
  /** The run id. */
  id: string;
  /** `false` when an idempotency key or `runId` matched an existing run, which this handle then follows. */
  created: boolean;
  /**
   * The run's events from here on, as they happen. `start()` resolves once `run-start` is stored, so that
   * event has been emitted already (pass `onEvent` to see every event, or `subscribe` to replay).
   */
  events: RunEventEmitter;
  /** When `created` is false: the fingerprint stored with the existing run, to tell a replay from a conflict. */
  fingerprint?: string;
  /** The final run. Resolves for `completed`, `failed` and `cancelled` alike: check `status`. */
  result: Promise<RunResult<TOutput>>;
}

/** A run as listed by {@link Orchestrator.list}. */
export interface RunSummary {
  id: string;
  status: RunStatus;
  tenant?: string;
  createdAt: number;
  updatedAt: number;
}

/** Options for {@link Orchestrator.list}. */
export interface ListOptions {
  /** Only this tenant's runs; absent means runs without a tenant. */
  tenant?: string;
  /** Only runs with these statuses. */
  status?: RunStatus[];
  /** Page size, 1 to 100. @default 20 */
  limit?: number;
  /** `nextCursor` from the previous page. */
  cursor?: string;
}

/** Options for {@link Orchestrator.subscribe}. */
export interface SubscribeOptions {
  /** Replay only events with `seq` greater than this (an SSE `Last-Event-ID`). @default 0 */
  after?: number;
  /** Ends the iteration early. */
  signal?: AbortSignal;
  /** Include live-only `*-delta` events (only available from the process executing the run). @default true */
  deltas?: boolean;
}

/** An orchestrator instance: roles, a store and defaults bound once, runs started many times. */
export interface Orchestrator<TOutput = unknown> {
  /** Starts a run and waits for it to end. */
  run(prompt: string, options?: RunOptions): Promise<RunResult<TOutput>>;
  /** Starts a run and returns at once with its id, live events and a result promise. */
  start(prompt: string, options?: RunOptions): Promise<RunHandle<TOutput>>;
  /** The current state of a run, or `undefined` when the store has no such run (or it is another tenant's). */
  get(id: string, options?: { tenant?: string }): Promise<RunView<TOutput> | undefined>;
  /** Replays a run's stored events after `after`, then tails live ones; ends after `run-end`. */
  subscribe(id: string, options?: SubscribeOptions): AsyncIterable<RunEvent>;
  /** Cancels a run, in this process or another one sharing the store. Answers the run's state after. */
  cancel(id: string, options?: { tenant?: string }): Promise<RunView<TOutput>>;
  /** Continues a run from its stored events, never re-running completed tasks or re-planning after `plan-end`. */
  resume(id: string, options?: Pick<RunOptions, "signal" | "onEvent">): Promise<RunResult<TOutput>>;
  /** Resumes, in the background, every unfinished run whose owner's lease expired. Answers their ids. */
  recover(options?: { limit?: number }): Promise<string[]>;
  /** Lists runs, newest first. */
  list(options?: ListOptions): Promise<{ runs: RunSummary[]; nextCursor?: string }>;
  /**
   * Stops every run this instance executes without ending them and releases their leases, so another process
   * can resume them at once (as after a crash, but without waiting for leases to expire). Their `result`
   * promises reject with `CANCELLED`.
   */
  close(): Promise<void>;
}
