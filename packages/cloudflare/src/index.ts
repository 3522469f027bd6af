export type { D1DatabaseLike, D1ResultLike, D1StatementLike } from "./d1/d1-database.js";
export { type D1RunStore, type D1StoreOptions, d1Store } from "./d1/d1-store.js";
export {
  createWorkersHandler,
  type WorkersHandler,
  type WorkersHandlerOptions,
} from "./handler/create-workers-handler.js";
export {
  createWorkersOrchestrator,
  type WorkersOrchestratorOptions,
} from "./handler/workers-orchestrator.js";
export {
  defaultWorkersAiModelIds,
  type WorkersAiModelsOptions,
  workersAiModels,
} from "./models/workers-ai-models.js";
export {
  createOrchestratorWorkflow,
  type OrchestratorWorkflowClass,
} from "./workflow/create-orchestrator-workflow.js";
export type { OrchestratorWorkflowConfig } from "./workflow/orchestrator-workflow-config.js";
export type {
  OrchestratorWorkflowOutput,
  OrchestratorWorkflowParams,
  WorkflowRunOptions,
} from "./workflow/orchestrator-workflow-params.js";
export {
  type RunOrchestratorWorkflowInput,
  runOrchestratorWorkflow,
} from "./workflow/run-orchestrator-workflow.js";
export type { StepResultStore } from "./workflow/step-result-store.js";
export {
  defaultWorkflowStepConfig,
  type WorkflowStepExecutorOptions,
  workflowStepExecutor,
} from "./workflow/workflow-step-executor.js";
export type {
  WorkflowBindingLike,
  WorkflowEventLike,
  WorkflowInstanceLike,
  WorkflowInstanceStatusLike,
  WorkflowStepConfig,
  WorkflowStepLike,
} from "./workflow/workflow-types.js";
