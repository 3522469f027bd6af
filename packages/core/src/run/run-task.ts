import { OrchestrateError, serializeError } from "../errors/orchestrate-error.js";
import type { LimiterPermit } from "../limiter/limiter.js";
import type { RoleContext } from "../roles/role-context.js";
import type { DependencyResult, WorkerInput } from "../roles/worker.js";
import { addUsage, emptyUsage, normalizeUsage, type Usage } from "../types/usage.js";
import { computeRetryDelay, shouldRetry, toOrchestrateError } from "./retry-policy.js";
import type { PlanAttemptWork, RunExecution } from "./run-execution.js";
import type { RunLog } from "./run-log.js";
import { sleep } from "./sleep.js";
import { directExecutor } from "./step-executor.js";

/**
 * Runs one subtask to a final outcome: limiter slot, `task-start`, the worker (raced against its signal and
 * the per-attempt timeout), then `task-end`, or `task-retry` and another attempt, or `task-error`. Settles the
 * task in the graph exactly once. Does nothing more once its plan attempt is discarded or the run has stopped.
 */
export async function runTask(execution: RunExecution, work: PlanAttemptWork, taskId: string): Promise<void> {
  const { log, snapshot } = execution;
  const subtask = execution.subtasks.get(taskId)!;
  const worker = execution.options.roles.workerFor(subtask.type)!;
  const limiter = execution.options.limiter;
  const workSignal = work.controller.signal;
  // An attempt interrupted by a crash (started, never ended) is resumed under its own number.
  let attempt = log.state.retriedAttempts.get(taskId) ?? 0;

  for (;;) {
    attempt++;
    let permit: LimiterPermit | undefined;
    if (limiter) {
      try {
        permit = await limiter.acquire(worker.limiterKey, workSignal);
      } catch {
        return;
      }
    }
    if (isStale(work, log)) {
      permit?.release();
      return;
    }
    log.append({ type: "task-start", taskId, attempt });
    const taskMs = snapshot.timeouts.taskMs;
    // Without a task timeout an attempt stops only with its whole plan attempt, so it shares that signal.
    const controller = taskMs === undefined ? undefined : new AbortController();
    const signal = controller?.signal ?? workSignal;
    // Tokens a worker reports itself (plain functions); made on the first report, as most never do.
    let reported: Usage | undefined;
    const context: RoleContext = {
      runId: execution.runId,
      signal,
      deltasWanted: execution.options.deltasWanted?.() ?? false,
      emitDelta: (delta) => log.delta({ type: "task-delta", taskId, delta }),
      reportUsage: (usage) => {
        reported = addUsage(reported ?? emptyUsage(), usage);
      },
    };
    const input: WorkerInput = {
      prompt: log.state.view.prompt,
      task: subtask,
      dependencies: dependenciesOf(execution, subtask.dependsOn),
      signal,
      attempt,
    };
    // Settles with the worker, or rejects as soon as the attempt is aborted: a worker that ignores its signal
    // cannot hold the run, and its late result is dropped.
    let abortAttempt!: (reason: unknown) => void;
    const outcome = new Promise<Awaited<ReturnType<typeof worker.run>>>((resolve, reject) => {
      abortAttempt = (reason) => {
        controller?.abort(reason);
        reject(reason);
      };
      const executor = execution.options.executor;
      // The in-process executor would only call the worker: skip its step name and closure.
      const running =
        executor === directExecutor
          ? worker.run(input, context)
          : executor.do(attempt === 1 ? `task:${taskId}` : `task:${taskId}#${attempt}`, () =>
              worker.run(input, context),
            );
      // A worker object written without `async` may answer a plain value; that is its result.
      Promise.resolve(running).then(resolve, reject);
    });
    work.inFlight.add(abortAttempt);
    const timer =
      taskMs === undefined
        ? undefined
        : setTimeout(() => {
            abortAttempt(
              new OrchestrateError({
                code: "TIMEOUT",
                runId: execution.runId,
                taskId,
                message: `Subtask "${taskId}" attempt ${attempt} timed out after ${taskMs} ms (timeouts.taskMs).`,
              }),
            );
          }, taskMs);
    try {
      const result = await outcome;
      const usage = addUsage(normalizeUsage(result?.usage), reported);
      permit?.release(usage);
      if (isStale(work, log)) return;
      log.append({ type: "task-end", taskId, output: result?.output ?? null, usage });
      execution.checkBudget();
      work.graph.settle(taskId, "completed");
      return;
    } catch (error) {
      permit?.release(reported);
      if (isStale(work, log)) return;
      const failure = toOrchestrateError(error, { runId: execution.runId, taskId, role: "worker" });
      const spent = reported !== undefined && reported.totalTokens > 0 ? { usage: reported } : {};
      if (shouldRetry(failure, attempt, snapshot.retry)) {
        const delayMs = computeRetryDelay(attempt, snapshot.retry, failure);
        log.append({
          type: "task-retry",
          taskId,
          attempt,
          delayMs,
          error: serializeError(failure),
          ...spent,
        });
        try {
          await sleep(delayMs, workSignal);
        } catch {
          return;
        }
        continue;
      }
      log.append({ type: "task-error", taskId, status: "failed", error: serializeError(failure), ...spent });
      work.graph.settle(taskId, "failed");
      if (snapshot.failurePolicy === "fail-fast") {
        execution.stop(
          "failed",
          new OrchestrateError({
            code: "TASK_FAILED",
            runId: execution.runId,
            taskId,
            message: `Subtask "${taskId}" failed (failurePolicy "fail-fast"): ${failure.message}`,
            cause: failure,
          }),
        );
      }
      return;
    } finally {
      if (timer) clearTimeout(timer);
      work.inFlight.delete(abortAttempt);
    }
  }
}

/** Whether the attempt's work no longer counts: its plan attempt was discarded, or the run stopped. */
function isStale(work: PlanAttemptWork, log: RunLog): boolean {
  return work.controller.signal.aborted || log.isClosed;
}

function dependenciesOf(execution: RunExecution, dependsOn: readonly string[]): DependencyResult[] {
  return dependsOn.map((id) => ({
    task: execution.subtasks.get(id)!,
    output: execution.log.state.taskIndex.get(id)?.output,
  }));
}
