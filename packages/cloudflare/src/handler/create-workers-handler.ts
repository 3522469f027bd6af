import {
  createFetchHandler,
  type FetchHandlerOptions,
  type RunStore,
  resolveFetchHandlerOptions,
} from "@orchestrator-workers/core";
import { invalidOption } from "../shared/invalid-option.js";
import { perEnv } from "../shared/per-env.js";
import { setupOnce } from "../shared/setup-once.js";
import type { OrchestratorWorkflowParams } from "../workflow/orchestrator-workflow-params.js";
import type { WorkflowBindingLike } from "../workflow/workflow-types.js";
import { createWorkersOrchestrator } from "./workers-orchestrator.js";

/** Options for {@link createWorkersHandler}: where the runs are, plus every option of core's `createFetchHandler`. */
export interface WorkersHandlerOptions<TEnv> extends FetchHandlerOptions {
  /** The binding of the Workflow made with `createOrchestratorWorkflow`, e.g. `(env) => env.ORCHESTRATOR`. */
  workflow: (env: TEnv) => WorkflowBindingLike<OrchestratorWorkflowParams>;
  /** The store that Workflow writes to, e.g. `(env) => d1Store(env.DB)`. Set up (migrated) on first use. */
  store: (env: TEnv) => RunStore;
  /** How often SSE streams read the store while waiting for events, in milliseconds. @default 500 */
  pollIntervalMs?: number;
  /** How often a quiet SSE stream checks that the run's Workflow instance is alive, in milliseconds. @default 5000 */
  reconcileIntervalMs?: number;
}

/** A Worker's default export: a module `fetch` handler. */
export interface WorkersHandler<TEnv> {
  fetch(request: Request, env: TEnv, context?: ExecutionContext): Promise<Response>;
}

/**
 * The orchestrator's HTTP API as a Worker `fetch` handler: the same routes, answers and errors as core's
 * `createFetchHandler` (`POST /` → `202 {id, details}`, `GET /:id`, `GET /:id/events` as SSE,
 * `POST /:id/cancel`, `GET /`), with each run executed by a Workflow instance and read from the store. The
 * store is set up on the first request of each isolate, so a fresh D1 database needs no manual migration.
 *
 * @example
 * export default createWorkersHandler({ workflow: (env: Env) => env.ORCHESTRATOR, store: (env) => d1Store(env.DB) });
 */
export function createWorkersHandler<TEnv>(options: WorkersHandlerOptions<TEnv>): WorkersHandler<TEnv> {
  if (typeof options !== "object" || options === null) throw invalidOption("options", "an object", options);
  if (typeof options.workflow !== "function")
    throw invalidOption("workflow", "a function from env to the Workflow binding", options.workflow);
  if (typeof options.store !== "function")
    throw invalidOption("store", "a function from env to a RunStore", options.store);
  const { workflow, store, pollIntervalMs, reconcileIntervalMs, ...fetchOptions } = options;
  for (const [name, value] of Object.entries({ pollIntervalMs, reconcileIntervalMs })) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 1))
      throw invalidOption(name, "a positive number of milliseconds", value);
  }
  // Fails here, at creation, when the fetch handler options are invalid.
  resolveFetchHandlerOptions(fetchOptions);
  const handlerFor = perEnv((env: TEnv) => {
    const runStore = store(env);
    const orchestrator = createWorkersOrchestrator({
      store: runStore,
      workflow: workflow(env),
      ready: () => setupOnce(runStore),
      ...(pollIntervalMs === undefined ? {} : { pollIntervalMs }),
      ...(reconcileIntervalMs === undefined ? {} : { reconcileIntervalMs }),
    });
    return createFetchHandler(orchestrator, fetchOptions);
  });
  return {
    fetch: (request, env) => handlerFor(env)(request),
  };
}
