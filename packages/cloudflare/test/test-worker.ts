import { WorkflowEntrypoint } from "cloudflare:workers";
import { createOrchestratorWorkflow, createWorkersHandler, d1Store } from "../src/index.js";
import { scenarioAggregator, scenarioPlanner, scenarioWorker } from "./scenario.js";

/** The bindings of the test Worker (see wrangler.jsonc). */
export interface TestEnv {
  DB: D1Database;
  ORCHESTRATOR: Workflow;
  BROKEN: Workflow;
}

/** The orchestrator Workflow under test, with scripted roles and quick retries. */
export const TestOrchestratorWorkflow = createOrchestratorWorkflow((env: TestEnv) => ({
  store: d1Store(env.DB),
  orchestrator: scenarioPlanner,
  worker: scenarioWorker(env.DB),
  aggregator: scenarioAggregator,
  defaults: { concurrency: 2, retry: { attempts: 3, initialDelayMs: 5, maxDelayMs: 20 } },
  // Small, so that a test can push a result over it without megabytes of output.
  maxInlineStepBytes: 4_096,
}));

/** A Workflow that errors at once: its instances stand for runs whose instance died. */
export class BrokenWorkflow extends WorkflowEntrypoint<TestEnv> {
  override async run(): Promise<never> {
    throw new Error("the instance crashed");
  }
}

export default createWorkersHandler({
  workflow: (env: TestEnv) => env.ORCHESTRATOR,
  store: (env) => d1Store(env.DB),
  pollIntervalMs: 20,
  reconcileIntervalMs: 200,
  heartbeatMs: 1_000,
});
