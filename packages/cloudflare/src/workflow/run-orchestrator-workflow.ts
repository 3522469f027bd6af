import { createOrchestrator, isFinalRunStatus, OrchestrateError } from "@orchestrator-workers/core";
import { setupOnce } from "../shared/setup-once.js";
import { claimReservedRun } from "./claim-reserved-run.js";
import type { OrchestratorWorkflowConfig } from "./orchestrator-workflow-config.js";
import type {
  OrchestratorWorkflowOutput,
  OrchestratorWorkflowParams,
} from "./orchestrator-workflow-params.js";
import { workflowStepExecutor } from "./workflow-step-executor.js";
import type { WorkflowEventLike, WorkflowStepLike } from "./workflow-types.js";

/** What {@link runOrchestratorWorkflow} needs: the body of a Workflow's `run(event, step)`. */
export interface RunOrchestratorWorkflowInput<TOutput> {
  config: OrchestratorWorkflowConfig<TOutput>;
  event: WorkflowEventLike<OrchestratorWorkflowParams>;
  step: WorkflowStepLike;
}

/**
 * Runs (or continues) the run whose id is the instance id with the core engine, its steps mapped to `step.do`.
 * Workflows calls `run()` again from the top after an interruption; each call picks up from the event log:
 * a run without events is started (claiming the record the handler reserved), any other is resumed, so the
 * plan is never regenerated once stored and completed subtasks never run again. Step results are deleted once
 * the run has ended. Throws (and the instance errors) only when the store fails for good.
 */
export async function runOrchestratorWorkflow<TOutput>(
  input: RunOrchestratorWorkflowInput<TOutput>,
): Promise<OrchestratorWorkflowOutput> {
  const { config, event, step } = input;
  const runId = event.instanceId;
  const { store, stepResults, stepConfig, maxInlineStepBytes, ...orchestratorOptions } = config;
  const results = stepResults ?? store.stepResults;
  if (!results) {
    throw new OrchestrateError({
      code: "INVALID_ARGUMENT",
      option: "stepResults",
      message:
        'Invalid option "stepResults": the store has no stepResults; pass a StepResultStore (d1Store provides one).',
    });
  }
  await setupOnce(store);
  const orchestrator = createOrchestrator<TOutput>({
    ...orchestratorOptions,
    store: claimReservedRun(store, runId),
    executor: workflowStepExecutor({
      step,
      runId,
      results,
      ...(stepConfig === undefined ? {} : { stepConfig }),
      ...(maxInlineStepBytes === undefined ? {} : { maxInlineBytes: maxInlineStepBytes }),
    }),
    // One owner across every call of run() for this instance: a replay takes over its own lease at once.
    ownerId: `workflow:${runId}`,
  });
  const record = await store.getRun(runId);
  const view =
    record && record.lastSeq > 0
      ? await orchestrator.resume(runId)
      : await orchestrator.run(event.payload.prompt, { ...event.payload.options, runId });
  if (isFinalRunStatus(view.status)) await results.deleteRun(runId).catch(() => {});
  const output: OrchestratorWorkflowOutput = {
    id: runId,
    status: view.status as OrchestratorWorkflowOutput["status"],
  };
  if (view.error) output.error = { code: view.error.code, message: view.error.message };
  return output;
}
