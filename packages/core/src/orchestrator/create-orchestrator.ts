import { EventEmitter } from "eventemitter3";
import { invalidArgument, OrchestrateError } from "../errors/orchestrate-error.js";
import type { Limiter } from "../limiter/limiter.js";
import {
  type AggregatorRole,
  type OrchestratorRole,
  resolveRoles,
  type WorkerMap,
  type WorkerRole,
} from "../roles/resolve-roles.js";
import { createRunState, foldState, type RunState } from "../run/fold-run.js";
import { RunExecution } from "../run/run-execution.js";
import { RunLog } from "../run/run-log.js";
import { directExecutor, type StepExecutor } from "../run/step-executor.js";
import { memoryStore } from "../store/memory-store.js";
import type { RunRecord, RunStore } from "../store/run-store.js";
import type { RunEvent } from "../types/run-event.js";
import type { RunView } from "../types/run-view.js";
import { isFinalRunStatus } from "../types/status.js";
import type {
  ExecutionOptions,
  Orchestrator,
  RunEventEmitter,
  RunEventMap,
  RunHandle,
  RunSummary,
} from "./orchestrator.js";
import { subscribeRun } from "./subscribe-run.js";
import { resolveExecutionOptions, validateRunOptions } from "./validate-options.js";

/** Options for {@link createOrchestrator}. */
export interface OrchestratorOptions<TOutput = string> {
  /** Plans the work: a model (shorthand for `modelPlanner(model)`) or any object with `plan()`. */
  orchestrator: OrchestratorRole;
  /** Executes subtasks: one worker for every type, or a map by task type with an optional `default`. */
  worker: WorkerRole | WorkerMap;
  /** Synthesizes the result. @default the orchestrator's model, when it is one */
  aggregator?: AggregatorRole<TOutput>;
  /** Where runs are stored. @default memoryStore() */
  store?: RunStore;
  /** Paces worker calls across every run sharing it (see `createLimiter`). @default none */
  limiter?: Limiter;
  /** Execution limits for every run, each overridable per run. */
  defaults?: ExecutionOptions;
  /**
   * How long a run's lease lasts, in milliseconds; it is renewed every third of that while the run executes.
   * After a crash, another process can recover the run once the lease expires. @default 30000
   */
  leaseMs?: number;
  /** How often `subscribe` polls a store that cannot push, in milliseconds. @default 500 */
  pollIntervalMs?: number;
  /** Runs each phase and subtask as a step; adapters for durable engines set it. @default direct execution */
  executor?: StepExecutor;
  /** Names this process in leases. @default a random UUID */
  ownerId?: string;
}

interface LocalRun {
  execution: RunExecution;
  emitter: RunEventEmitter;
  listeners: Set<(event: RunEvent) => void>;
  result: Promise<RunView>;
}

/**
 * Creates an orchestrator: roles, a store and defaults bound once; runs started many times. Every option is
 * validated here, and every run option at `run`/`start`, with an `INVALID_ARGUMENT` that names the option.
 */
export function createOrchestrator<TOutput = string>(
  options: OrchestratorOptions<TOutput>,
): Orchestrator<TOutput> {
  if (typeof options !== "object" || options === null) throw invalidArgument("options", "an object", options);
  const roles = resolveRoles(options as Parameters<typeof resolveRoles>[0]);
  const store = options.store ?? memoryStore();
  if (
    typeof store !== "object" ||
    typeof store.createRun !== "function" ||
    typeof store.append !== "function"
  ) {
    throw invalidArgument("store", "a RunStore (createRun, append, readEvents, ...)", store);
  }
  if (options.limiter !== undefined && typeof options.limiter?.acquire !== "function") {
    throw invalidArgument("limiter", "a Limiter (an object with acquire())", options.limiter);
  }
  const leaseMs = options.leaseMs ?? 30_000;
  if (!Number.isFinite(leaseMs) || leaseMs < 10)
    throw invalidArgument("leaseMs", "a number of milliseconds >= 10", leaseMs);
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  if (!Number.isFinite(pollIntervalMs) || pollIntervalMs < 1) {
    throw invalidArgument("pollIntervalMs", "a positive number of milliseconds", pollIntervalMs);
  }
  // Fail at creation, not at the first run, when the defaults are wrong.
  resolveExecutionOptions(undefined, options.defaults, "defaults.");
  const executor = options.executor ?? directExecutor;
  const owner = options.ownerId ?? crypto.randomUUID();
  const now = Date.now;
  const local = new Map<string, LocalRun>();
  let renewTimer: ReturnType<typeof setInterval> | undefined;

  const live = {
    listen(runId: string, listener: (event: RunEvent) => void) {
      const run = local.get(runId);
      if (!run) return undefined;
      run.listeners.add(listener);
      return () => run.listeners.delete(listener);
    },
  };

  function ensureRenewal(): void {
    if (renewTimer || local.size === 0) return;
    renewTimer = setInterval(
      () => {
        for (const [runId, run] of local) {
          store.renewLease(runId, owner, leaseMs).then(
            (held) => {
              if (!held) {
                run.execution.detach(
                  new OrchestrateError({
                    code: "RUN_LOCKED",
                    runId,
                    message: `Lost the lease on run ${runId} to another process.`,
                  }),
                );
              }
            },
            () => {},
          );
        }
      },
      Math.max(5, Math.floor(leaseMs / 3)),
    );
    (renewTimer as { unref?: () => void }).unref?.();
  }

  function execute(
    state: RunState,
    start: ConstructorParameters<typeof RunExecution>[0]["start"],
    onEvent?: (event: RunEvent) => void,
  ): LocalRun {
    const emitter: RunEventEmitter = new EventEmitter<RunEventMap>();
    const listeners = new Set<(event: RunEvent) => void>();
    const emit = (event: RunEvent) => {
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
    };
    const execution = new RunExecution({
      store,
      state,
      roles,
      executor,
      now,
      emit,
      ...(start ? { start } : {}),
      ...(options.limiter ? { limiter: options.limiter } : {}),
    });
    const runId = state.view.id;
    const result = execution.done.then(
      (view) => view,
      async (error: unknown) => {
        // Another process ended the run (a cancel) or took it over: the store has the truth.
        if (OrchestrateError.isInstance(error) && error.code === "STORE_CONFLICT") {
          const view = await readView(runId);
          if (view && isFinalRunStatus(view.status)) return view;
        }
        throw error;
      },
    );
    const run: LocalRun = { execution, emitter, listeners, result };
    local.set(runId, run);
    ensureRenewal();
    result
      .catch(() => {})
      .finally(() => {
        local.delete(runId);
        if (local.size === 0 && renewTimer) {
          clearInterval(renewTimer);
          renewTimer = undefined;
        }
        if (!execution.detachedByClose) store.releaseLease(runId, owner).catch(() => {});
      });
    return run;
  }

  async function readView(runId: string): Promise<RunView | undefined> {
    const events = await store.readEvents(runId);
    if (events.length === 0) return undefined;
    return foldState(runId, events).view;
  }

  function visible(view: RunView | undefined, tenant: string | undefined): RunView | undefined {
    if (!view || view.tenant !== tenant) return undefined;
    return view;
  }

  function notFound(runId: string): OrchestrateError {
    return new OrchestrateError({ code: "RUN_NOT_FOUND", runId, message: `Run ${runId} was not found.` });
  }

  function follow(
    runId: string,
    signal?: AbortSignal,
  ): { events: RunEventEmitter; result: Promise<RunView> } {
    const emitter: RunEventEmitter = new EventEmitter<RunEventMap>();
    const result = (async () => {
      let last: RunEvent | undefined;
      for await (const event of subscribeRun({
        store,
        live,
        runId,
        after: 0,
        deltas: true,
        pollIntervalMs,
        ...(signal ? { signal } : {}),
      })) {
        emitter.emit(event.type, event as never);
        emitter.emit("event", event);
        last = event;
      }
      const view = await readView(runId);
      if (!view) throw notFound(runId);
      if (last?.type !== "run-end" && !isFinalRunStatus(view.status)) {
        throw new OrchestrateError({ code: "CANCELLED", runId, message: `Stopped following run ${runId}.` });
      }
      return view;
    })();
    return { events: emitter, result };
  }

  const orchestrator: Orchestrator<TOutput> = {
    async start(prompt, runOptions) {
      validateRunOptions(prompt, runOptions);
      const snapshot = resolveExecutionOptions(runOptions, options.defaults);
      const runId = runOptions?.runId ?? crypto.randomUUID();
      const createdAt = now();
      const { run: record, created } = await store.createRun({
        id: runId,
        createdAt,
        lease: { owner, ttlMs: leaseMs },
        ...(runOptions?.tenant === undefined ? {} : { tenant: runOptions.tenant }),
        ...(runOptions?.idempotencyKey === undefined ? {} : { idempotencyKey: runOptions.idempotencyKey }),
        ...(runOptions?.fingerprint === undefined ? {} : { fingerprint: runOptions.fingerprint }),
      });
      if (!created) return existingHandle(record, runOptions?.signal) as Promise<RunHandle<TOutput>>;
      const state = createRunState(runId, createdAt);
      const run = execute(
        state,
        {
          prompt,
          options: snapshot,
          ...(runOptions?.tenant === undefined ? {} : { tenant: runOptions.tenant }),
          ...(runOptions?.metadata === undefined ? {} : { metadata: runOptions.metadata }),
        },
        runOptions?.onEvent,
      );
      bindSignal(run, runOptions?.signal);
      run.execution.start(snapshot.timeouts.runMs);
      return {
        id: runId,
        created: true,
        events: run.emitter,
        result: run.result as Promise<RunView<TOutput>>,
      };
    },

    async run(prompt, runOptions) {
      const handle = await orchestrator.start(prompt, runOptions);
      return handle.result;
    },

    async get(runId, getOptions) {
      const run = local.get(runId);
      if (run)
        return visible(structuredClone(run.execution.log.state.view), getOptions?.tenant) as
          | RunView<TOutput>
          | undefined;
      return visible(await readView(runId), getOptions?.tenant) as RunView<TOutput> | undefined;
    },

    subscribe(runId, subscribeOptions = {}) {
      const after = subscribeOptions.after ?? 0;
      if (!Number.isInteger(after) || after < 0)
        throw invalidArgument("after", "a non-negative integer seq", after);
      return subscribeRun({
        store,
        live,
        runId,
        after,
        deltas: subscribeOptions.deltas ?? true,
        pollIntervalMs,
        ...(subscribeOptions.signal ? { signal: subscribeOptions.signal } : {}),
      });
    },

    async cancel(runId, cancelOptions) {
      const run = local.get(runId);
      if (run) {
        if (run.execution.log.state.view.tenant !== cancelOptions?.tenant) throw notFound(runId);
        run.execution.cancel();
        return (await run.result) as RunView<TOutput>;
      }
      for (let attempt = 1; ; attempt++) {
        const events = await store.readEvents(runId);
        const state = foldState(runId, events);
        if (events.length === 0 || state.view.tenant !== cancelOptions?.tenant) throw notFound(runId);
        if (isFinalRunStatus(state.view.status)) return state.view as RunView<TOutput>;
        const log = new RunLog({ store, state, now, emit: () => {}, onWriteError: () => {} });
        log.append({
          type: "run-end",
          status: "cancelled",
          usage: {
            inputTokens: state.view.usage.inputTokens,
            outputTokens: state.view.usage.outputTokens,
            totalTokens: state.view.usage.totalTokens,
          },
          error: { code: "CANCELLED", message: `Run ${runId} was cancelled.` },
        });
        try {
          await log.flush();
          return structuredClone(state.view) as RunView<TOutput>;
        } catch (error) {
          if (!(OrchestrateError.isInstance(error) && error.code === "STORE_CONFLICT") || attempt >= 5)
            throw error;
        }
      }
    },

    async resume(runId, resumeOptions) {
      const run = await beginResume(runId, resumeOptions);
      return ("result" in run ? run.result : run) as Promise<RunView<TOutput>>;
    },

    async recover(recoverOptions) {
      const limit = recoverOptions?.limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1) throw invalidArgument("limit", "a positive integer", limit);
      const ids = await store.findExpiredLeases({ now: now(), limit });
      const resumed: string[] = [];
      for (const runId of ids) {
        if (local.has(runId)) continue;
        try {
          const run = await beginResume(runId, undefined);
          if ("result" in run) resumed.push(runId);
        } catch {
          // Another process won the race for this run's lease.
        }
      }
      return resumed;
    },

    async list(listOptions = {}) {
      const limit = listOptions.limit ?? 20;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        throw invalidArgument("limit", "an integer from 1 to 100", limit);
      const page = await store.listRuns({
        limit,
        ...(listOptions.tenant === undefined ? {} : { tenant: listOptions.tenant }),
        ...(listOptions.status === undefined ? {} : { status: listOptions.status }),
        ...(listOptions.cursor === undefined ? {} : { cursor: listOptions.cursor }),
      });
      const runs: RunSummary[] = page.runs.map(toSummary);
      return page.nextCursor === undefined ? { runs } : { runs, nextCursor: page.nextCursor };
    },

    async close() {
      const closing = [...local.entries()];
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
      await Promise.all(closing.map(([runId]) => store.releaseLease(runId, owner).catch(() => {})));
      if (renewTimer) clearInterval(renewTimer);
      renewTimer = undefined;
    },
  };

  /** Reads a run and, unless it is final, takes its lease and executes it here. */
  async function beginResume(
    runId: string,
    resumeOptions: { signal?: AbortSignal; onEvent?: (event: RunEvent) => void } | undefined,
  ): Promise<LocalRun | RunView> {
    const running = local.get(runId);
    if (running) return running;
    const events = await store.readEvents(runId);
    if (events.length === 0) throw notFound(runId);
    const state = foldState(runId, events);
    if (isFinalRunStatus(state.view.status)) return state.view;
    if (!(await store.acquireLease(runId, owner, leaseMs))) {
      throw new OrchestrateError({
        code: "RUN_LOCKED",
        runId,
        message: `Run ${runId} is being executed by another process (its lease has not expired).`,
      });
    }
    const run = execute(state, undefined, resumeOptions?.onEvent);
    bindSignal(run, resumeOptions?.signal);
    run.execution.start(state.options?.timeouts.runMs);
    return run;
  }

  async function existingHandle(record: RunRecord, signal?: AbortSignal): Promise<RunHandle> {
    const run = local.get(record.id);
    if (run) {
      return {
        id: record.id,
        created: false,
        events: run.emitter,
        result: run.result,
        ...(record.fingerprint === undefined ? {} : { fingerprint: record.fingerprint }),
      };
    }
    const followed = follow(record.id, signal);
    followed.result.catch(() => {});
    return {
      id: record.id,
      created: false,
      ...followed,
      ...(record.fingerprint === undefined ? {} : { fingerprint: record.fingerprint }),
    };
  }

  return orchestrator;
}

function bindSignal(run: LocalRun, signal: AbortSignal | undefined): void {
  if (!signal) return;
  if (signal.aborted) {
    run.execution.cancel(signal.reason);
    return;
  }
  const onAbort = () => run.execution.cancel(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  run.result.then(
    () => signal.removeEventListener("abort", onAbort),
    () => signal.removeEventListener("abort", onAbort),
  );
}

function toSummary(record: RunRecord): RunSummary {
  const summary: RunSummary = {
    id: record.id,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
  if (record.tenant !== undefined) summary.tenant = record.tenant;
  return summary;
}
