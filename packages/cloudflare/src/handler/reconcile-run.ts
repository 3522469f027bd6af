import { OrchestrateError, type RunEnding } from "@orchestrator-workers/core";
import type { WorkflowBindingLike, WorkflowInstanceStatusLike } from "../workflow/workflow-types.js";

/** How a run ended according to its Workflow instance, when its log does not say yet. */
export type InstanceEnding = RunEnding;

/**
 * Asks the run's Workflow instance whether it is still alive, the source of truth for liveness: an instance
 * that errored, completed without the run's `run-end`, or does not exist ended the run as `failed`; a terminated
 * one as `cancelled`. Answers `undefined` while the instance is queued, running, waiting or paused.
 */
export async function readInstanceEnding(
  workflow: WorkflowBindingLike,
  runId: string,
): Promise<InstanceEnding | undefined> {
  let instance: WorkflowInstanceStatusLike;
  try {
    instance = await (await workflow.get(runId)).status();
  } catch (error) {
    if (!isNotFound(error)) throw unavailable(runId, error);
    return failed(`Run ${runId} has no Workflow instance: it was never created, or it was deleted.`);
  }
  switch (instance.status) {
    case "errored": {
      const reason = typeof instance.error === "string" ? instance.error : instance.error?.message;
      return failed(`The Workflow instance of run ${runId} errored${reason ? `: ${reason}` : "."}`);
    }
    case "terminated":
      return {
        status: "cancelled",
        error: {
          code: "CANCELLED",
          message: `Run ${runId} was cancelled: its Workflow instance was terminated.`,
        },
      };
    case "complete":
      return failed(`The Workflow instance of run ${runId} completed, but the run's log has no end.`);
    default:
      return undefined;
  }
}

function failed(message: string): InstanceEnding {
  return { status: "failed", error: { code: "INTERNAL", message } };
}

function isNotFound(error: unknown): boolean {
  return /not[_ ]found/i.test(error instanceof Error ? error.message : String(error));
}

function unavailable(runId: string, error: unknown): OrchestrateError {
  return new OrchestrateError({
    code: "STORE_UNAVAILABLE",
    runId,
    message: `The Workflow instance of run ${runId} could not be read: ${error instanceof Error ? error.message : String(error)}`,
    cause: error,
  });
}
