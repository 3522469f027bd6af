export type { ErrorCode } from "./errors/error-code.js";
export { errorCodes, httpStatusForCode, isErrorCode } from "./errors/error-code.js";
export type { OrchestrateErrorOptions, SerializedError } from "./errors/orchestrate-error.js";
export {
  describeValue,
  invalidArgument,
  OrchestrateError,
  serializeError,
} from "./errors/orchestrate-error.js";
export { createFetchHandler, type FetchHandler } from "./http/create-fetch-handler.js";
export { createHttpHandler } from "./http/create-http-handler.js";
export { type ErrorBody, errorAnswer, errorResponse } from "./http/error-response.js";
export {
  type AuthenticateResult,
  type ClientOptionLimits,
  type ClientOptionName,
  clientOptionNames,
  type FetchHandlerOptions,
  type ResolvedFetchHandlerOptions,
  resolveFetchHandlerOptions,
} from "./http/fetch-handler-options.js";
export type { HttpAnswer, HttpHandler, HttpRequest } from "./http/http-exchange.js";
export { fromWebRequest, toWebResponse } from "./http/web-exchange.js";
export { createLimiter } from "./limiter/create-limiter.js";
export type { Limiter, LimiterPermit } from "./limiter/limiter.js";
export type { LimiterKeyOptions, LimiterOptions } from "./limiter/limiter-options.js";
export { createOrchestrator, type OrchestratorOptions } from "./orchestrator/create-orchestrator.js";
export {
  type EndStoredRunOptions,
  endStoredRun,
  type RunEnding,
} from "./orchestrator/end-stored-run.js";
export { type OrchestrateOptions, orchestrate } from "./orchestrator/orchestrate.js";
export type {
  ExecutionOptions,
  ListOptions,
  Orchestrator,
  RunEventEmitter,
  RunEventMap,
  RunHandle,
  RunOptions,
  RunSummary,
  SubscribeOptions,
} from "./orchestrator/orchestrator.js";
export { runNotFound } from "./orchestrator/read-run.js";
export { resolveExecutionOptions, validateRunOptions } from "./orchestrator/validate-options.js";
export type {
  AggregateInput,
  AggregateResult,
  Aggregator,
  TaskFailure,
  TaskResult,
} from "./roles/aggregator.js";
export { isLanguageModel, type LanguageModelObject } from "./roles/is-language-model.js";
export { fromLanguageModelUsage } from "./roles/language-model-usage.js";
export { type ModelAggregatorOptions, modelAggregator } from "./roles/model-aggregator.js";
export { type ModelPlannerOptions, modelPlanner } from "./roles/model-planner.js";
export type { ModelRoleOptions } from "./roles/model-role-options.js";
export { type ModelWorkerOptions, modelWorker } from "./roles/model-worker.js";
export type { PlanInput, PlannedTask, Planner, PlanResult, PlanSummary } from "./roles/planner.js";
export {
  buildAggregatorPrompt,
  buildPlannerPrompt,
  buildWorkerPrompt,
  defaultAggregatorSystemPrompt,
  defaultPlannerSystemPrompt,
  defaultWorkerSystemPrompt,
  stringifyOutput,
} from "./roles/prompts.js";
export type {
  AggregatorRole,
  ModelInstance,
  OrchestratorRole,
  WorkerMap,
  WorkerRole,
} from "./roles/resolve-roles.js";
export type { RoleContext } from "./roles/role-context.js";
export type { DependencyResult, Worker, WorkerFunction, WorkerInput, WorkerResult } from "./roles/worker.js";
export { applyEvent, createRunState, foldRun, type RunState, toRunView } from "./run/fold-run.js";
export {
  computeRetryDelay,
  defaultRetryOptions,
  maxRetryAfterMs,
  resolveRetryOptions,
  shouldRetry,
} from "./run/retry-policy.js";
export { sleep } from "./run/sleep.js";
export { directExecutor, type StepExecutor } from "./run/step-executor.js";
export { type ErrorContext, isRetryableStatus, toOrchestrateError } from "./run/to-orchestrate-error.js";
export { checkAppendInput } from "./store/check-append-input.js";
export { decodeCursor, encodeCursor, type ListCursor } from "./store/cursor.js";
export { type MemoryStoreOptions, memoryStore } from "./store/memory-store.js";
export { newRunRecord } from "./store/new-run-record.js";
export type {
  AppendInput,
  CreateRunInput,
  CreateRunResult,
  Lease,
  ListRunsOptions,
  RunPage,
  RunRecord,
  RunStore,
  StoreListener,
} from "./store/run-store.js";
export type { FailurePolicy } from "./types/failure-policy.js";
export type { RetryOptions } from "./types/retry-options.js";
export * from "./types/run-event.js";
export type { RunOptionsSnapshot } from "./types/run-options-snapshot.js";
export type { RunResult, RunUsage, RunView, TaskView } from "./types/run-view.js";
export {
  isFinalRunStatus,
  type RunEndReason,
  type RunPhase,
  type RunStatus,
  type TaskStatus,
} from "./types/status.js";
export type { Plan, Subtask } from "./types/subtask.js";
export { addUsage, emptyUsage, normalizeUsage, type Usage } from "./types/usage.js";
