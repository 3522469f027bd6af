import type { ModelInstance } from "@orchestrator-workers/core";
import { createWorkersAI, type WorkersAISettings } from "workers-ai-provider";

/** The models of the original deployment: a large one plans and aggregates, a small one runs subtasks. */
export const defaultWorkersAiModelIds = Object.freeze({
  orchestrator: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
  worker: "@cf/meta/llama-3.1-8b-instruct",
});

/** Options for {@link workersAiModels}. */
export interface WorkersAiModelsOptions {
  /** Workers AI model that plans and aggregates. @default "@cf/meta/llama-3.3-70b-instruct-fp8-fast" */
  orchestratorModel?: string;
  /** Workers AI model that runs subtasks. @default "@cf/meta/llama-3.1-8b-instruct" */
  workerModel?: string;
}

/**
 * The orchestrator (and so aggregator) and worker models on Workers AI through `workers-ai-provider`, from the
 * Worker's AI binding: spread them into the Workflow's config.
 *
 * @example
 * createOrchestratorWorkflow((env: Env) => ({ store: d1Store(env.DB), ...workersAiModels(env.AI) }));
 */
export function workersAiModels(
  binding: Extract<WorkersAISettings, { binding: unknown }>["binding"],
  options: WorkersAiModelsOptions = {},
): { orchestrator: ModelInstance; worker: ModelInstance } {
  const workersAi = createWorkersAI({ binding });
  return {
    orchestrator: workersAi(
      options.orchestratorModel ?? defaultWorkersAiModelIds.orchestrator,
    ) as ModelInstance,
    worker: workersAi(options.workerModel ?? defaultWorkersAiModelIds.worker) as ModelInstance,
  };
}
