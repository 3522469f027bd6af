import { EventEmitter } from "eventemitter3";
import { OrchestrateError } from "../errors/orchestrate-error.js";
import type { Limiter } from "../limiter/limiter.js";
import type { ResolvedRoles } from "../roles/resolve-roles.js";
import type { RunState } from "../run/fold-run.js";
import { RunExecution, type RunExecutionOptions } from "../run/run-execution.js";
import type { StepExecutor } from "../run/step-executor.js";
import type { RunStore } from "../store/run-store.js";
import type { RunEvent } from "../types/run-event.js";
import type { RunView } from "../types/run-view.js";
import { isFinalRunStatus } from "../types/status.js";
import type { LeaseKeeper } from "./lease-keeper.js";
import type { RunEventEmitter, RunEventMap } from "./orchestrator.js";
import { readRunState } from "./read-run.js";
import type { LiveEvents } from "./subscribe-run.js";

/** A run executing in this process. */
export interface LocalRun {
  execution: RunExecution;
  emitter: RunEventEmitter;
  /** Final view; rejects when the run was detached or its store failed. */
  result: Promise<RunView>;
}

/** What {@link LocalRuns} needs to execute runs. */
export interface LocalRunsOptions {
  store: RunStore;
  roles: ResolvedRoles;
  executor: StepExecutor;
  limiter: Limiter | undefined;
  leases: LeaseKeeper;
  now: () => number;
}

/**
 * The runs this process executes: starts them, fans their events out (typed emitter, `onEvent`, live
 * subscribers), keeps their leases, and forgets them when they end. It is the {@link LiveEvents} source of
 * `subscribe`, so readers in this process get deltas too.
 */
export class LocalRuns implements LiveEvents {
  private readonly runs = new Map<string, LocalRun>();
  private readonly listeners = new Map<string, Set<(event: RunEvent) => void>>();
  /** Per run, how many of its listeners want deltas. */
  private readonly deltaListeners = new Map<string, number>();
  private readonly options: LocalRunsOptions;

  constructor(options: LocalRunsOptions) {
    this.options = options;
  }

  get(runId: string): LocalRun | undefined {
    return this.runs.get(runId);
  }

  listen(runId: string, listener: (event: RunEvent) => void, deltas: boolean): (() => void) | undefined {
    const listeners = this.listeners.get(runId);
    if (!listeners) return undefined;
    listeners.add(listener);
    if (deltas) this.deltaListeners.set(runId, (this.deltaListeners.get(runId) ?? 0) + 1);
    return () => {
      if (!listeners.delete(listener) || !deltas) return;
      const remaining = (this.deltaListeners.get(runId) ?? 1) - 1;
      if (remaining > 0) this.deltaListeners.set(runId, remaining);
      else this.deltaListeners.delete(runId);
    };
  }

  /** Executes a run from `state` (a new run when `start` is given) with `signal` and `onEvent` bound to it. */
  execute(
    state: RunState,
    start: RunExecutionOptions["start"],
    hooks: { signal?: AbortSignal | undefined; onEvent?: ((event: RunEvent) => void) | undefined },
  ): LocalRun {
    const { store, roles, executor, limiter, leases, now } = this.options;
    const runId = state.view.id;
    const emitter: RunEventEmitter = new EventEmitter<RunEventMap>();
    const listeners = new Set<(event: RunEvent) => void>();
    const onEvent = hooks.onEvent;
    const execution = new RunExecution({
      store,
      state,
      roles,
      executor,
      now,
      emit: (event) => {
        emitter.emit(event.type, event as never);
        emitter.emit("event", event);
        for (const listener of listeners) listener(event);
        if (onEvent) {
          try {
            onEvent(event);
          } catch {
            // A failing callback must not break the run; the event is stored either way.
          }
        }
      },
      deltasWanted: () =>
        onEvent !== undefined ||
        this.deltaListeners.has(runId) ||
        emitter.listenerCount("event") +
          emitter.listenerCount("task-delta") +
          emitter.listenerCount("aggregate-delta") >
          0,
      ...(start ? { start } : {}),
      ...(limiter ? { limiter } : {}),
    });
    const result = execution.done.catch(async (error: unknown) => {
      // Another process ended the run (a cancel) or took it over: the store has the truth.
      if (OrchestrateError.isInstance(error) && error.code === "STORE_CONFLICT") {
        const stored = await readRunState(store, runId).catch(() => undefined);
        if (stored && isFinalRunStatus(stored.view.status)) return stored.view;
      }
      throw error;
    });
    const run: LocalRun = { execution, emitter, result };
    this.runs.set(runId, run);
    this.listeners.set(runId, listeners);
    leases.track(runId, (loss) =>
      execution.detach(
        loss === "ended-elsewhere"
          ? // Resolved from the stored log by `result` below.
            new OrchestrateError({
              code: "STORE_CONFLICT",
              runId,
              message: `Run ${runId} was ended by another process.`,
            })
          : new OrchestrateError({
              code: "RUN_LOCKED",
              runId,
              message: `Lost the lease on run ${runId} to another process.`,
            }),
      ),
    );
    const unbind = bindSignal(execution, hooks.signal);
    const forget = () => {
      unbind();
      this.runs.delete(runId);
      this.listeners.delete(runId);
      this.deltaListeners.delete(runId);
      void leases.untrack(runId, !execution.detachedByClose);
    };
    result.then(forget, forget);
    return run;
  }

  /**
   * Stops every local run without ending it and releases its lease, so that another process can resume it at
   * once; their results reject with `CANCELLED`.
   */
  async closeAll(): Promise<void> {
    const closing = [...this.runs.entries()];
    for (const [runId, run] of closing) {
      run.execution.detachedByClose = true;
      run.execution.detach(
        new OrchestrateError({
          code: "CANCELLED",
          runId,
          message: `The orchestrator was closed; run ${runId} can be resumed by another instance.`,
        }),
      );
    }
    // Release a lease only once this process's last writes to the run have settled, so that whoever takes the
    // run over reads a log nobody here is still appending to.
    await Promise.all(
      closing.map(async ([runId, run]) => {
        await run.execution.log.flush().catch(() => {});
        await this.options.leases.untrack(runId, true);
      }),
    );
    this.options.leases.stop();
  }
}

function bindSignal(execution: RunExecution, signal: AbortSignal | undefined): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    execution.cancel(signal.reason);
    return () => {};
  }
  const onAbort = () => execution.cancel(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  return () => signal.removeEventListener("abort", onAbort);
}
