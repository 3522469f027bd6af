import type { RunOptions } from "@orchestrator-workers/core";

/** The run options a Workflow instance is created with: serializable, no callbacks or signals. */
export type WorkflowRunOptions = Pick<
  RunOptions,
  "concurrency" | "maxSubtasks" | "failurePolicy" | "retry" | "timeouts" | "budget" | "metadata" | "tenant"
>;

/** The `params` of an orchestrator Workflow instance. Its id is the run id. */
export interface OrchestratorWorkflowParams {
  /** What to do. */
  prompt: string;
  /** Execution options over the Workflow's `defaults`, the tenant and metadata. */
  options?: WorkflowRunOptions;
}

/** What an orchestrator Workflow instance returns when it ends: a small summary (the run is in the store). */
export interface OrchestratorWorkflowOutput {
  /** The run id (the instance id). */
  id: string;
  /** The run's final status. */
  status: "completed" | "failed" | "cancelled";
  /** Why the run failed or was cancelled. */
  error?: { code: string; message: string };
}

const optionNames: ReadonlyArray<keyof WorkflowRunOptions> = [
  "concurrency",
  "maxSubtasks",
  "failurePolicy",
  "retry",
  "timeouts",
  "budget",
  "metadata",
  "tenant",
];

/** The {@link WorkflowRunOptions} of `options`: only those fields, and only when set. */
export function pickWorkflowRunOptions(options: RunOptions | undefined): WorkflowRunOptions {
  const picked: Record<string, unknown> = {};
  for (const name of optionNames) if (options?.[name] !== undefined) picked[name] = options[name];
  return picked as WorkflowRunOptions;
}
