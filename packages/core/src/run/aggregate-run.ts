import { OrchestrateError } from "../errors/orchestrate-error.js";
import type { TaskFailure, TaskResult } from "../roles/aggregator.js";
import { addUsage, emptyUsage, normalizeUsage } from "../types/usage.js";
import { raceSignal } from "./race-signal.js";
import type { RunExecution } from "./run-execution.js";
import { withRetries } from "./with-retries.js";

/**
 * The aggregation phase: hands the aggregator every completed task's output and every task that did not
 * complete (with why), streams its deltas, retries it like any model call, and ends the run. A run in which no
 * task completed fails instead, since there is nothing to aggregate.
 */
export async function aggregateRun(execution: RunExecution): Promise<void> {
  const view = execution.log.state.view;
  const results: TaskResult[] = [];
  const failures: TaskFailure[] = [];
  for (const task of view.tasks) {
    const subtask = execution.subtasks.get(task.id)!;
    if (task.status === "completed") results.push({ task: subtask, output: task.output });
    else if (task.status === "failed" || task.status === "skipped") {
      failures.push({
        task: subtask,
        status: task.status,
        error: task.error ?? { code: "TASK_FAILED", message: "failed" },
      });
    }
  }
  if (results.length === 0) {
    const code = execution.budgetExceeded ? "BUDGET_EXCEEDED" : "TASK_FAILED";
    const first = failures[0];
    execution.end(
      "failed",
      new OrchestrateError({
        code,
        runId: execution.runId,
        message: `No subtask completed (${failures.length} did not), so there is nothing to aggregate${first ? `; first: "${first.task.id}": ${first.error.message}` : ""}.`,
      }),
    );
    return;
  }
  execution.log.append({ type: "aggregate-start" });
  const signal = execution.runController.signal;
  const plan = view.plan ?? { tasks: [...execution.subtasks.values()] };
  const reported = emptyUsage();
  const result = await withRetries(
    (attempt) =>
      raceSignal(
        execution.options.executor.do(attempt === 1 ? "aggregate" : `aggregate#${attempt}`, () =>
          execution.options.roles.aggregator.aggregate(
            { prompt: view.prompt, plan, results, failures, signal },
            {
              runId: execution.runId,
              signal,
              deltasWanted: execution.options.deltasWanted?.() ?? false,
              emitDelta: (delta) => execution.log.delta({ type: "aggregate-delta", delta }),
              reportUsage: (usage) => addUsage(reported, usage),
            },
          ),
        ),
        signal,
      ),
    { retry: execution.snapshot.retry, signal, runId: execution.runId, role: "aggregator" },
  );
  if (execution.isEnded) return;
  execution.log.append({
    type: "aggregate-end",
    output: result.output ?? null,
    usage: addUsage(normalizeUsage(result.usage), reported),
  });
  execution.end("completed", undefined, execution.budgetExceeded ? "budget-exceeded" : undefined);
}
