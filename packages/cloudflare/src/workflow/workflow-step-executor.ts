import { OrchestrateError, type StepExecutor } from "@orchestrator-workers/core";
import type { StepResultStore } from "./step-result-store.js";
import type { WorkflowStepConfig, WorkflowStepLike } from "./workflow-types.js";

/** Options for {@link workflowStepExecutor}. */
export interface WorkflowStepExecutorOptions {
  /** The `step` of the Workflow's `run(event, step)`. */
  step: WorkflowStepLike;
  /** The run (instance) id. */
  runId: string;
  /** Where results too large for a step, and every subtask's result, are kept. */
  results: StepResultStore;
  /** Config of every `step.do`. @default {@link defaultWorkflowStepConfig} */
  stepConfig?: WorkflowStepConfig;
  /** Results larger than this, in bytes of JSON, are stored in `results` and the step returns a reference. @default 262144 (256 KiB) */
  maxInlineBytes?: number;
}

/**
 * Steps do not retry in Workflows: the engine owns retries (each attempt is its own step, `task:<id>#<n>`, and
 * its own `task-retry` event), so an attempt is never paid for twice, once by Workflows and once by the engine.
 */
export const defaultWorkflowStepConfig: WorkflowStepConfig = Object.freeze({
  retries: Object.freeze({ limit: 0, delay: 1000, backoff: "constant" as const }),
  timeout: "10 minutes",
});

/** What a step returns to Workflows: the result itself when small, else a reference to where it is stored. */
type StepOutcome = { inline: unknown } | { stored: string };

const encoder = new TextEncoder();
const taskStepPattern = /^(task:.+?)(?:#(\d+))?$/;

/**
 * A core `StepExecutor` on Cloudflare Workflows: every step the engine runs (`plan`, `task:<id>`,
 * `task:<id>#<attempt>`, `aggregate`) is a `step.do` of the same name, so Workflows keeps its result and a
 * replay of `run()` gets it back without calling the model again.
 *
 * Two things close the gaps a replay would otherwise leave:
 * - Every subtask's result is also saved to `results` inside its step, before the step completes. If the
 *   process dies after the step but before the engine stored `task-end`, the replay sees the task as started
 *   and asks for the same attempt's step again (an interrupted attempt keeps its number); should Workflows run
 *   that step again (it had not recorded it), the executor finds the saved result and answers it without
 *   running the worker again.
 * - Results larger than `maxInlineBytes` are not returned to Workflows (1 MiB per step) but stored, and the step
 *   returns a reference that the executor resolves.
 *
 * A failing step rethrows the worker's original error (with its status code and retry hints) to the engine
 * when the step ran in this process; a failure replayed from Workflows' cache is only its name and message.
 */
export function workflowStepExecutor(options: WorkflowStepExecutorOptions): StepExecutor {
  const { step, runId, results } = options;
  const stepConfig = options.stepConfig ?? defaultWorkflowStepConfig;
  const maxInlineBytes = options.maxInlineBytes ?? 262_144;

  return {
    durable: true,
    async do<TResult>(name: string, run: () => Promise<TResult>): Promise<TResult> {
      const task = taskStepPattern.exec(name);
      const taskKey = task?.[1];
      if (taskKey !== undefined && task?.[2] !== undefined) {
        // A later attempt: an earlier one may have completed in a process that died before recording it.
        const saved = await results.load(runId, taskKey);
        if (saved) return saved.value as TResult;
      }
      let thrown: { error: unknown } | undefined;
      let outcome: StepOutcome;
      try {
        outcome = await step.do<StepOutcome>(name, stepConfig, async () => {
          try {
            const value = await run();
            const oversized = encoder.encode(JSON.stringify(value) ?? "null").byteLength > maxInlineBytes;
            const key = taskKey ?? name;
            if (taskKey !== undefined || oversized) await results.save(runId, key, value);
            return oversized ? { stored: key } : { inline: value };
          } catch (error) {
            thrown = { error };
            throw error;
          }
        });
      } catch (error) {
        throw thrown ? thrown.error : error;
      }
      if (!("stored" in outcome)) return outcome.inline as TResult;
      const saved = await results.load(runId, outcome.stored);
      if (!saved) {
        throw new OrchestrateError({
          code: "INTERNAL",
          runId,
          message: `The result of step "${name}" was stored as "${outcome.stored}", but it is no longer in the step result store.`,
        });
      }
      return saved.value as TResult;
    },
  };
}
