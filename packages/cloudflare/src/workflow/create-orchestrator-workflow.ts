import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { invalidOption } from "../shared/invalid-option.js";
import { perEnv } from "../shared/per-env.js";
import type { OrchestratorWorkflowConfig } from "./orchestrator-workflow-config.js";
import type {
  OrchestratorWorkflowOutput,
  OrchestratorWorkflowParams,
} from "./orchestrator-workflow-params.js";
import { runOrchestratorWorkflow } from "./run-orchestrator-workflow.js";
import type { WorkflowStepLike } from "./workflow-types.js";

/** The class {@link createOrchestratorWorkflow} returns: export it from the Worker under the `class_name` of its `workflows` entry. */
export type OrchestratorWorkflowClass<TEnv> = new (
  ...args: ConstructorParameters<typeof WorkflowEntrypoint<TEnv, OrchestratorWorkflowParams>>
) => WorkflowEntrypoint<TEnv, OrchestratorWorkflowParams> & {
  run(
    event: Readonly<WorkflowEvent<OrchestratorWorkflowParams>>,
    step: WorkflowStep,
  ): Promise<OrchestratorWorkflowOutput>;
};

/**
 * A Workflows entrypoint that runs orchestrator runs: each instance is one run (instance id = run id), executed
 * by the core engine with Workflows as its step executor: one `step.do` for the plan, one per subtask attempt
 * (`task:<id>`, `task:<id>#<attempt>`), one for the aggregate, fanned out up to the run's `concurrency`.
 * `factory` builds the roles and the store from the Worker's `env`, once per isolate.
 *
 * @example
 * export const OrchestratorWorkflow = createOrchestratorWorkflow((env: Env) => ({
 *   store: d1Store(env.DB),
 *   ...workersAiModels(env.AI),
 * }));
 */
export function createOrchestratorWorkflow<TEnv, TOutput = string>(
  factory: (env: TEnv) => OrchestratorWorkflowConfig<TOutput>,
): OrchestratorWorkflowClass<TEnv> {
  if (typeof factory !== "function")
    throw invalidOption("factory", "a function from env to the Workflow's config", factory);
  const configFor = perEnv(factory);
  return class OrchestratorWorkflow extends WorkflowEntrypoint<TEnv, OrchestratorWorkflowParams> {
    override async run(
      event: Readonly<WorkflowEvent<OrchestratorWorkflowParams>>,
      step: WorkflowStep,
    ): Promise<OrchestratorWorkflowOutput> {
      return runOrchestratorWorkflow({
        config: configFor(this.env),
        event,
        step: step as unknown as WorkflowStepLike,
      });
    }
  };
}
