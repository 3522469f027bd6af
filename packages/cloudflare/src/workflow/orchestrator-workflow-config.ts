import type { OrchestratorOptions, RunStore } from "@orchestrator-workers/core";
import type { StepResultStore } from "./step-result-store.js";
import type { WorkflowStepConfig } from "./workflow-types.js";

/**
 * What an orchestrator Workflow runs with: the options of core's `createOrchestrator` (roles, defaults, limiter,
 * ...) with a durable `store` the Worker's handler reads too, typically `d1Store(env.DB)`. The executor and the
 * lease owner are the Workflow's own.
 */
export interface OrchestratorWorkflowConfig<TOutput = string>
  extends Omit<OrchestratorOptions<TOutput>, "store" | "executor" | "ownerId"> {
  /** Where the run's event log lives; the Worker's handler reads the same store. */
  store: RunStore & { stepResults?: StepResultStore };
  /** Where large step results and subtask results are kept. @default `store.stepResults` (a `d1Store` has one) */
  stepResults?: StepResultStore;
  /** Config of every `step.do`. @default retries off (the engine retries), 10 minute timeout */
  stepConfig?: WorkflowStepConfig;
  /** Step results larger than this, in bytes of JSON, are stored and referenced. @default 262144 (256 KiB) */
  maxInlineStepBytes?: number;
}
