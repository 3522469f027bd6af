import { invalidArgument, OrchestrateError } from "../errors/orchestrate-error.js";
import { createRunState } from "../run/fold-run.js";
import { directExecutor } from "../run/step-executor.js";
import type { RunEvent } from "../types/run-event.js";
import type { RunView } from "../types/run-view.js";
import { isFinalRunStatus } from "../types/status.js";
import { abandonUnstartedRun } from "./abandon-unstarted-run.js";
import { definedOnly } from "./defined-only.js";
import { cancelStoredRun } from "./end-stored-run.js";
import { followRun } from "./follow-run.js";
import { LeaseKeeper } from "./lease-keeper.js";
import { type LocalRun, LocalRuns } from "./local-runs.js";
import type { Orchestrator, RunHandle, RunSummary } from "./orchestrator.js";
import { type OrchestratorOptions, validateOrchestratorOptions } from "./orchestrator-options.js";
import { readRunState, runNotFound } from "./read-run.js";
import { subscribeRun } from "./subscribe-run.js";
import { resolveExecutionOptions, validateRunOptions } from "./validate-options.js";

export type { OrchestratorOptions } from "./orchestrator-options.js";

/**
 * Creates an orchestrator: roles, a store and defaults bound once; runs started many times. Every option is
 * validated here, and every run option at `run`/`start`, with an `INVALID_ARGUMENT` that names the option.
 */
export function createOrchestrator<TOutput = string>(
  options: OrchestratorOptions<TOutput>,
): Orchestrator<TOutput> {
  const { roles, store, leaseMs, pollIntervalMs } = validateOrchestratorOptions(options);
  const now = Date.now;
  const leases = new LeaseKeeper(store, options.ownerId ?? crypto.randomUUID(), leaseMs);
  const local = new LocalRuns({
    store,
    roles,
    executor: options.executor ?? directExecutor,
    limiter: options.limiter,
    leases,
    now,
  });

  /** Reads a run and, unless it is final, takes its lease and executes it here. */
  async function beginResume(
    runId: string,
    hooks: { signal?: AbortSignal | undefined; onEvent?: ((event: RunEvent) => void) | undefined },
  ): Promise<LocalRun | RunView> {
    const running = local.get(runId);
    if (running) return running;
    const state = await readRunState(store, runId);
    if (!state) throw runNotFound(runId);
    if (isFinalRunStatus(state.view.status)) return state.view;
    if (!(await store.acquireLease(runId, leases.owner, leaseMs))) {
      throw new OrchestrateError({
        code: "RUN_LOCKED",
        runId,
        message: `Run ${runId} is being executed by another process (its lease has not expired).`,
      });
    }
    const run = local.execute(state, undefined, hooks);
    run.execution.start(state.options?.timeouts.runMs);
    return run;
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
        lease: { owner: leases.owner, ttlMs: leaseMs },
        ...definedOnly({
          tenant: runOptions?.tenant,
          idempotencyKey: runOptions?.idempotencyKey,
          fingerprint: runOptions?.fingerprint,
        }),
      });
      const fingerprint = record.fingerprint === undefined ? {} : { fingerprint: record.fingerprint };
      // A creation whose run-start never got stored (the store failed right after createRun) is adopted by the
      // next identical request once its lease is free, instead of being followed forever.
      const adopt =
        !created &&
        record.lastSeq === 0 &&
        record.fingerprint === runOptions?.fingerprint &&
        !local.get(record.id) &&
        (await store.acquireLease(record.id, leases.owner, leaseMs));
      if (!created && !adopt) {
        const existing = local.get(record.id);
        const followed = existing
          ? { events: existing.emitter, result: existing.result }
          : followRun({ store, live: local, runId: record.id, pollIntervalMs, signal: runOptions?.signal });
        // Following starts only when someone listens: `onEvent`, or reading `events` or `result` (getters).
        if (runOptions?.onEvent) followed.events.on("event", runOptions.onEvent);
        return Object.defineProperties(
          { id: record.id, created: false, ...fingerprint } as RunHandle<TOutput>,
          {
            events: { get: () => followed.events, enumerable: true },
            result: { get: () => followed.result, enumerable: true },
          },
        );
      }
      const run = local.execute(
        createRunState(record.id, record.createdAt),
        {
          prompt,
          options: snapshot,
          ...definedOnly({ tenant: runOptions?.tenant, metadata: runOptions?.metadata }),
        },
        { signal: runOptions?.signal, onEvent: runOptions?.onEvent },
      );
      // Answer only once run-start (with the prompt) is stored: an acknowledged run is never lost.
      await run.execution.log.flush();
      run.execution.start(snapshot.timeouts.runMs);
      return {
        id: record.id,
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
      // Always the fold of the stored log, even for a run executing here: readers never see an event that a
      // crash could still undo (the engine's own state runs ahead of the store by one write).
      const view = (await readRunState(store, runId))?.view;
      return (view && view.tenant === getOptions?.tenant ? view : undefined) as RunView<TOutput> | undefined;
    },

    subscribe(runId, subscribeOptions = {}) {
      const after = subscribeOptions.after ?? 0;
      if (!Number.isInteger(after) || after < 0)
        throw invalidArgument("after", "a non-negative integer seq", after);
      return subscribeRun({
        store,
        live: local,
        runId,
        after,
        deltas: subscribeOptions.deltas ?? true,
        pollIntervalMs,
        signal: subscribeOptions.signal,
      });
    },

    async cancel(runId, cancelOptions) {
      const running = local.get(runId);
      if (!running)
        return (await cancelStoredRun(store, runId, cancelOptions?.tenant, now)) as RunView<TOutput>;
      if (running.execution.log.state.view.tenant !== cancelOptions?.tenant) throw runNotFound(runId);
      running.execution.cancel();
      return (await running.result) as RunView<TOutput>;
    },

    async resume(runId, resumeOptions) {
      const run = await beginResume(runId, {
        signal: resumeOptions?.signal,
        onEvent: resumeOptions?.onEvent,
      });
      return ("result" in run ? run.result : run) as Promise<RunView<TOutput>>;
    },

    async recover(recoverOptions) {
      const limit = recoverOptions?.limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1) throw invalidArgument("limit", "a positive integer", limit);
      const resumed: string[] = [];
      for (const runId of await store.findExpiredLeases({ now: now(), limit })) {
        if (local.get(runId)) continue;
        try {
          if ("result" in (await beginResume(runId, {}))) resumed.push(runId);
        } catch (error) {
          // RUN_LOCKED: another process won the race for this run's lease. RUN_NOT_FOUND: a record without
          // events, whose creation never completed.
          if (OrchestrateError.isInstance(error) && error.code === "RUN_NOT_FOUND") {
            await abandonUnstartedRun(store, runId, { now: now(), leaseMs }).catch(() => false);
          }
        }
      }
      return resumed;
    },

    async list(listOptions = {}) {
      const limit = listOptions.limit ?? 20;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
        throw invalidArgument("limit", "an integer from 1 to 100", limit);
      }
      const page = await store.listRuns({
        limit,
        ...definedOnly({
          tenant: listOptions.tenant,
          status: listOptions.status,
          cursor: listOptions.cursor,
        }),
      });
      const runs: RunSummary[] = page.runs.map(({ id, status, tenant, createdAt, updatedAt }) => ({
        id,
        status,
        createdAt,
        updatedAt,
        ...definedOnly({ tenant }),
      }));
      return page.nextCursor === undefined ? { runs } : { runs, nextCursor: page.nextCursor };
    },

    close: () => local.closeAll(),
  };
  return orchestrator;
}
