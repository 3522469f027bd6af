import { createOrchestratorWorkflow, createWorkersHandler, d1Store } from "@orchestrator-workers/cloudflare";
import type { Env } from "./env.js";
import { selectModels } from "./select-models.js";

/** Runs each orchestrator run as a Workflows instance: plan, one durable step per subtask, aggregate. */
export const OrchestratorWorkflow = createOrchestratorWorkflow((env: Env) => ({
  store: d1Store(env.DB),
  ...selectModels(env),
  defaults: { concurrency: 4, maxSubtasks: 10 },
}));

/**
 * The HTTP API: `POST /` `{"prompt"}` → `202 {"id", "details"}`, `GET /:id` → `{"status", ...}`,
 * `GET /:id/events` (SSE), `POST /:id/cancel`, `GET /`.
 */
export default createWorkersHandler({
  workflow: (env: Env) => env.ORCHESTRATOR,
  store: (env) => d1Store(env.DB),
});
