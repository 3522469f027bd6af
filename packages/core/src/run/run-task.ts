import { OrchestrateError, serializeError } from "../errors/orchestrate-error.js";
import type { LimiterPermit } from "../limiter/limiter.js";
import type { ResolvedWorker } from "../roles/resolve-roles.js";
import type { RoleContext } from "../roles/role-context.js";
import type { DependencyResult, WorkerInput, WorkerResult } from "../roles/worker.js";
import type { Subtask } from "../types/subtask.js";
import { addUsage, emptyUsage, normalizeUsage, type Usage } from "../types/usage.js";
import { computeRetryDelay, shouldRetry, toOrchestrateError } from "./retry-policy.js";
import type { PlanAttemptWork, RunExecution } from "./run-execution.js";
import { sleep } from "./sleep.js";
import { directExecutor } from "./step-executor.js";

/**
 * Runs one subtask to a final outcome: limiter slot, `task-start`, the worker (raced against its signal and
 * the per-attempt timeout), then `task-end`, or `task-retry` and another attempt, or `task-error`. Settles the
 * task in the graph exactly once. Does nothing more once its plan attempt is discarded or the run has stopped.
 */
export function runTask(execution: RunExecution, work: PlanAttemptWork, taskId: string): void {
  new TaskRun(execution, work, taskId).next();
}

/**
 * One subtask's attempts. Written with callbacks rather than `async`/`await`: a run may hold thousands of
 * these pending at once, and an async frame plus a promise racing the worker against its signal cost more per
 * pending subtask than everything else the engine keeps for it.
 */
class TaskRun {
  private readonly execution: RunExecution;
  private readonly work: PlanAttemptWork;
  private readonly taskId: string;
  private readonly subtask: Subtask;
  private readonly worker: ResolvedWorker;
  private attempt: number;
  /** Whether the current attempt is still waiting for its worker. */
  private pending = false;
  private permit: LimiterPermit | undefined;
  private controller: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Tokens the worker reported itself in the current attempt (plain functions); made on the first report. */
  private reported: Usage | undefined;

  constructor(execution: RunExecution, work: PlanAttemptWork, taskId: string) {
    this.execution = execution;
    this.work = work;
    this.taskId = taskId;
    this.subtask = execution.subtasks.get(taskId)!;
    this.worker = execution.options.roles.workerFor(this.subtask.type)!;
    // An attempt interrupted by a crash (started, never ended) is resumed under its own number.
    this.attempt = execution.log.state.retriedAttempts.get(taskId) ?? 0;
  }

  /** Starts the next attempt, once the limiter (if any) grants a slot. */
  next(): void {
    this.attempt++;
    const limiter = this.execution.options.limiter;
    if (!limiter) {
      this.begin(undefined);
      return;
    }
    limiter.acquire(this.worker.limiterKey, this.work.controller.signal).then(
      (permit) => this.begin(permit),
      // Aborted while waiting: the plan attempt was discarded or the run stopped.
      () => {},
    );
  }

  /** Called for every attempt in flight when its plan attempt is discarded, and by the task timeout. */
  abort(reason: unknown): void {
    if (!this.pending) return;
    this.controller?.abort(reason);
    this.failed(reason, this.attempt);
  }

  private begin(permit: LimiterPermit | undefined): void {
    const { execution, taskId } = this;
    if (this.isStale()) {
      permit?.release();
      return;
    }
    const attempt = this.attempt;
    execution.log.taskStart(taskId, attempt);
    this.permit = permit;
    this.reported = undefined;
    this.pending = true;
    const taskMs = execution.snapshot.timeouts.taskMs;
    // Without a task timeout an attempt stops only with its whole plan attempt, so it shares that signal.
    this.controller = taskMs === undefined ? undefined : new AbortController();
    const signal = this.controller?.signal ?? this.work.controller.signal;
    const context: RoleContext = {
      runId: execution.runId,
      signal,
      deltasWanted: execution.options.deltasWanted?.() ?? false,
      emitDelta: (delta) => execution.log.delta({ type: "task-delta", taskId, delta }),
      reportUsage: (usage) => {
        if (attempt === this.attempt) this.reported = addUsage(this.reported ?? emptyUsage(), usage);
      },
    };
    const input: WorkerInput = {
      prompt: execution.log.state.view.prompt,
      task: this.subtask,
      dependencies: this.dependencies(),
      signal,
      attempt,
    };
    this.work.inFlight.add(this);
    if (taskMs !== undefined) {
      this.timer = setTimeout(() => {
        this.abort(
          new OrchestrateError({
            code: "TIMEOUT",
            runId: execution.runId,
            taskId,
            message: `Subtask "${taskId}" attempt ${attempt} timed out after ${taskMs} ms (timeouts.taskMs).`,
          }),
        );
      }, taskMs);
    }
    let running: Promise<WorkerResult> | WorkerResult;
    try {
      const executor = execution.options.executor;
      // The in-process executor would only call the worker: skip its step name and closure.
      running =
        executor === directExecutor
          ? this.worker.run(input, context)
          : executor.do(attempt === 1 ? `task:${taskId}` : `task:${taskId}#${attempt}`, () =>
              this.worker.run(input, context),
            );
    } catch (error) {
      running = Promise.reject(error);
    }
    // A worker object written without `async` may answer a plain value; that is its result. Settling in a
    // later microtask either way keeps a long chain of instant workers from growing the stack. A worker that
    // ignores its signal cannot hold the run: `abort` settles the attempt, and its late result is dropped.
    Promise.resolve(running).then(
      (result) => this.completed(result, attempt),
      (error: unknown) => this.failed(error, attempt),
    );
  }

  /** Ends the current attempt's bookkeeping; false when `attempt` already ended (aborted, or superseded). */
  private end(attempt: number): boolean {
    if (!this.pending || attempt !== this.attempt) return false;
    this.pending = false;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.work.inFlight.delete(this);
    return true;
  }

  private completed(result: WorkerResult | undefined, attempt: number): void {
    if (!this.end(attempt)) return;
    const { execution, taskId } = this;
    const usage = addUsage(normalizeUsage(result?.usage), this.reported);
    this.permit?.release(usage);
    if (this.isStale()) return;
    execution.log.taskEnd(taskId, result?.output ?? null, usage);
    execution.checkBudget();
    this.work.graph.settle(taskId, "completed");
  }

  private failed(error: unknown, attempt: number): void {
    if (!this.end(attempt)) return;
    const { execution, taskId } = this;
    const reported = this.reported;
    this.permit?.release(reported);
    if (this.isStale()) return;
    const failure = toOrchestrateError(error, { runId: execution.runId, taskId, role: "worker" });
    const spent = reported !== undefined && reported.totalTokens > 0 ? { usage: reported } : {};
    const retry = execution.snapshot.retry;
    if (shouldRetry(failure, attempt, retry)) {
      const delayMs = computeRetryDelay(attempt, retry, failure);
      execution.log.append({
        type: "task-retry",
        taskId,
        attempt,
        delayMs,
        error: serializeError(failure),
        ...spent,
      });
      sleep(delayMs, this.work.controller.signal).then(
        () => this.next(),
        // Aborted while waiting: the plan attempt was discarded or the run stopped.
        () => {},
      );
      return;
    }
    execution.log.append({
      type: "task-error",
      taskId,
      status: "failed",
      error: serializeError(failure),
      ...spent,
    });
    this.work.graph.settle(taskId, "failed");
    if (execution.snapshot.failurePolicy === "fail-fast") {
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
  }

  /** Whether the attempt's work no longer counts: its plan attempt was discarded, or the run stopped. */
  private isStale(): boolean {
    return this.work.controller.signal.aborted || this.execution.log.isClosed;
  }

  private dependencies(): DependencyResult[] {
    const { subtasks, log } = this.execution;
    return this.subtask.dependsOn.map((id) => ({
      task: subtasks.get(id)!,
      output: log.state.taskIndex.get(id)?.output,
    }));
  }
}
