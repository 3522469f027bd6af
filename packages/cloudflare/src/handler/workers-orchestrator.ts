import {
  applyEvent,
  createRunState,
  endStoredRun,
  isFinalRunStatus,
  type ListOptions,
  OrchestrateError,
  type Orchestrator,
  type PersistedRunEvent,
  type RunEvent,
  type RunEventEmitter,
  type RunEventMap,
  type RunHandle,
  type RunStore,
  type RunSummary,
  type RunView,
  runNotFound,
} from "@orchestrator-workers/core";
import { EventEmitter } from "eventemitter3";
import { invalidOption } from "../shared/invalid-option.js";
import {
  type OrchestratorWorkflowParams,
  pickWorkflowRunOptions,
} from "../workflow/orchestrator-workflow-params.js";
import type { WorkflowBindingLike } from "../workflow/workflow-types.js";
import { lazyPromise } from "./lazy-promise.js";
import { pollRunEvents } from "./poll-run-events.js";
import { readRunView, withRecord } from "./read-run-view.js";
import { readInstanceEnding } from "./reconcile-run.js";

/** Options for {@link createWorkersOrchestrator}. */
export interface WorkersOrchestratorOptions {
  /** The store the Workflow writes runs to. */
  store: RunStore;
  /** The binding of the orchestrator Workflow. */
  workflow: WorkflowBindingLike<OrchestratorWorkflowParams>;
  /** How often subscriptions read the store while waiting for events, in milliseconds. @default 500 */
  pollIntervalMs?: number;
  /** How often a quiet subscription checks that the run's instance is alive, in milliseconds. @default 5000 */
  reconcileIntervalMs?: number;
  /** Awaited before the store is used (the handler passes the store's one-time setup). */
  ready?: () => Promise<void>;
}

// Workflows instance ids: letters, digits, "-" and "_", up to 100 characters.
const instanceIdPattern = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,99}$/;

/**
 * The `Orchestrator` a Worker serves over HTTP: runs execute in Workflow instances (instance id = run id), and
 * this side only starts, reads and cancels them. `start` reserves the run in the store (idempotency key
 * included) and creates the instance; `get`, `subscribe` and `list` read the store's event log and reconcile it
 * with `instance.status()`, the source of truth for liveness (an errored, terminated or missing instance ends
 * the run in the log); `cancel` terminates the instance and ends the run. Workflows resumes runs on its own,
 * so `resume` only waits for the end and `recover` has nothing to do.
 */
export function createWorkersOrchestrator(options: WorkersOrchestratorOptions): Orchestrator {
  const { store, workflow } = options;
  const ready = options.ready ?? (() => Promise.resolve());
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const reconcileIntervalMs = options.reconcileIntervalMs ?? 5_000;

  /** Ends the run in the log if its instance is gone; answers the view after, or undefined when it lives. */
  async function reconcile(runId: string): Promise<RunView | undefined> {
    const ending = await readInstanceEnding(workflow, runId);
    return ending ? endStoredRun(store, runId, ending) : undefined;
  }

  /** The run's record and view, reconciled with its instance when the log is not final. */
  async function current(runId: string, tenant: string | undefined) {
    await ready();
    const found = await readRunView(store, runId, tenant);
    if (!found || isFinalRunStatus(found.view.status)) return found;
    const ended = await reconcile(runId);
    return ended ? { record: found.record, view: withRecord(ended, found.record) } : found;
  }

  async function view(runId: string, tenant: string | undefined): Promise<RunView | undefined> {
    return (await current(runId, tenant))?.view;
  }

  function events(runId: string, after: number, signal?: AbortSignal): AsyncIterable<RunEvent> {
    return {
      async *[Symbol.asyncIterator]() {
        await ready();
        yield* pollRunEvents({
          store,
          runId,
          after,
          pollIntervalMs,
          reconcileIntervalMs,
          signal,
          reconcile: async () => {
            await reconcile(runId);
          },
        });
      },
    };
  }

  /** The run's final view, with its events re-emitted; nothing is polled until somebody waits for it. */
  function follow(runId: string): { events: RunEventEmitter; result: Promise<RunView> } {
    const emitter: RunEventEmitter = new EventEmitter<RunEventMap>();
    const result = lazyPromise(async () => {
      // The events replay the whole log (stored events only), so the final view is folded as they arrive.
      const state = createRunState(runId);
      for await (const event of events(runId, 0)) {
        emitter.emit(event.type, event as never);
        emitter.emit("event", event);
        applyEvent(state, event as PersistedRunEvent);
      }
      const record = await store.getRun(runId);
      if (!record) throw runNotFound(runId);
      return withRecord(state.view, record);
    });
    return { events: emitter, result };
  }

  const orchestrator: Orchestrator = {
    async start(prompt, runOptions) {
      if (typeof prompt !== "string" || prompt.trim() === "")
        throw invalidOption("prompt", "a non-empty string", prompt);
      const id = runOptions?.runId ?? crypto.randomUUID();
      if (!instanceIdPattern.test(id)) {
        throw invalidOption("runId", 'a Workflows instance id: 1-100 letters, digits, "-" or "_"', id);
      }
      await ready();
      const { run, created } = await store.createRun({
        id,
        createdAt: Date.now(),
        ...(runOptions?.tenant === undefined ? {} : { tenant: runOptions.tenant }),
        ...(runOptions?.idempotencyKey === undefined ? {} : { idempotencyKey: runOptions.idempotencyKey }),
        ...(runOptions?.fingerprint === undefined ? {} : { fingerprint: runOptions.fingerprint }),
      });
      // A replay of a reservation whose instance was never created (the Worker died in between) creates it now.
      if (created || (run.lastSeq === 0 && run.fingerprint === runOptions?.fingerprint)) {
        await createInstance(
          workflow,
          run.id,
          { prompt, options: pickWorkflowRunOptions(runOptions) },
          !created,
        );
      }
      const followed = follow(run.id);
      return {
        id: run.id,
        created,
        ...(run.fingerprint === undefined ? {} : { fingerprint: run.fingerprint }),
        get events() {
          // Reading the emitter starts following, so that its listeners get events.
          followed.result.then(
            () => {},
            () => {},
          );
          return followed.events;
        },
        result: followed.result,
      } as RunHandle;
    },

    async run(prompt, runOptions) {
      return (await orchestrator.start(prompt, runOptions)).result;
    },

    get: (runId, getOptions) => view(runId, getOptions?.tenant),

    subscribe(runId, subscribeOptions = {}) {
      const after = subscribeOptions.after ?? 0;
      if (!Number.isInteger(after) || after < 0)
        throw invalidOption("after", "a non-negative integer seq", after);
      return events(runId, after, subscribeOptions.signal);
    },

    async cancel(runId, cancelOptions) {
      const found = await current(runId, cancelOptions?.tenant);
      if (!found) throw runNotFound(runId);
      if (isFinalRunStatus(found.view.status)) return found.view;
      try {
        await (await workflow.get(runId)).terminate();
      } catch (error) {
        // An instance that just ended cannot be terminated: its outcome is reconciled below.
        if (!(await readInstanceEnding(workflow, runId))) throw error;
      }
      const ended = await endStoredRun(store, runId, {
        status: "cancelled",
        error: { code: "CANCELLED", message: `Run ${runId} was cancelled.` },
      });
      return withRecord(ended, found.record);
    },

    async resume(runId) {
      await ready();
      if (!(await store.getRun(runId))) throw runNotFound(runId);
      return follow(runId).result;
    },

    recover: async () => [],

    async list(listOptions: ListOptions = {}) {
      const limit = listOptions.limit ?? 20;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        throw invalidOption("limit", "an integer from 1 to 100", limit);
      await ready();
      const page = await store.listRuns({
        limit,
        ...(listOptions.tenant === undefined ? {} : { tenant: listOptions.tenant }),
        ...(listOptions.status === undefined ? {} : { status: listOptions.status }),
        ...(listOptions.cursor === undefined ? {} : { cursor: listOptions.cursor }),
      });
      // Only a run whose log is not final costs a liveness check; a dead one is ended in the log.
      const runs = await Promise.all(
        page.runs.map(async ({ id, status, tenant, createdAt, updatedAt }): Promise<RunSummary> => {
          const ending = isFinalRunStatus(status) ? undefined : await readInstanceEnding(workflow, id);
          const ended = ending ? await endStoredRun(store, id, ending) : undefined;
          return {
            id,
            status: ended?.status ?? status,
            createdAt,
            updatedAt: ended?.updatedAt ?? updatedAt,
            ...(tenant === undefined ? {} : { tenant }),
          };
        }),
      );
      const listed = listOptions.status
        ? runs.filter((run) => listOptions.status!.includes(run.status))
        : runs;
      return page.nextCursor === undefined ? { runs: listed } : { runs: listed, nextCursor: page.nextCursor };
    },

    close: async () => {},
  };
  return orchestrator;
}

async function createInstance(
  workflow: WorkflowBindingLike<OrchestratorWorkflowParams>,
  id: string,
  params: OrchestratorWorkflowParams,
  mayExist: boolean,
): Promise<void> {
  try {
    await workflow.create({ id, params });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (mayExist && /already[_ ]exists/i.test(message)) return;
    throw new OrchestrateError({
      code: "STORE_UNAVAILABLE",
      runId: id,
      message: `The Workflow instance of run ${id} could not be created: ${message}`,
      cause: error,
    });
  }
}
