import { OrchestrateError, serializeError } from "../errors/orchestrate-error.js";
import type { Limiter } from "../limiter/limiter.js";
import type { ResolvedRoles } from "../roles/resolve-roles.js";
import type { RunStore } from "../store/run-store.js";
import type { RunEvent, RunStartEvent } from "../types/run-event.js";
import type { RunOptionsSnapshot } from "../types/run-options-snapshot.js";
import type { RunView } from "../types/run-view.js";
import type { RunEndReason } from "../types/status.js";
import type { Subtask } from "../types/subtask.js";
import { addUsage, emptyUsage, normalizeUsage, type Usage } from "../types/usage.js";
import { aggregateRun } from "./aggregate-run.js";
import type { RunState } from "./fold-run.js";
import { planRun } from "./plan-run.js";
import { RunLog } from "./run-log.js";
import { runTask } from "./run-task.js";
import type { StepExecutor } from "./step-executor.js";
import { TaskGraph } from "./task-graph.js";

/** What a {@link RunExecution} needs. */
export interface RunExecutionOptions {
  store: RunStore;
  /** The fold of the run's stored events: empty for a new run (then `start` is required), else from its `run-start` on. */
  state: RunState;
  /** For a new run: the `run-start` event to append first. */
  start?: Omit<RunStartEvent, "runId" | "seq" | "at" | "type">;
  roles: ResolvedRoles;
  limiter?: Limiter;
  executor: StepExecutor;
  now: () => number;
  /** Receives every event after it is stored. */
  emit: (event: RunEvent) => void;
  /** Whether anyone listens to deltas now; roles are told, so model roles stream only then. @default never */
  deltasWanted?: () => boolean;
}

/** The work of one plan attempt: its graph and the signal that discards it. */
export interface PlanAttemptWork {
  graph: TaskGraph;
  controller: AbortController;
  /**
   * The subtask attempts in flight. {@link abortWork} aborts them all: a listener per task on a shared signal
   * would cost O(tasks in flight) per removal, and an `AbortController` per attempt costs more CPU and memory
   * than the attempt's own bookkeeping.
   */
  inFlight: Set<{ abort(reason: unknown): void }>;
}

/** Discards a plan attempt's work: aborts its signal and every attempt in flight. */
export function abortWork(work: PlanAttemptWork, reason: unknown): void {
  if (work.controller.signal.aborted) return;
  work.controller.abort(reason);
  for (const attempt of work.inFlight) attempt.abort(reason);
}

/**
 * Executes one run from wherever its log stands: plans unless `plan-end` is stored, runs every task that has
 * not completed (dispatching as soon as dependencies are done and a slot is free), aggregates, and ends the run.
 * Cancellation, timeouts and fail-fast end the run at once without waiting for roles that ignore their signal.
 */
export class RunExecution {
  readonly runId: string;
  readonly log: RunLog;
  readonly options: RunExecutionOptions;
  readonly snapshot: RunOptionsSnapshot;
  /**
   * Aborted when the run must stop: cancellation, run timeout, fail-fast, detach, or a store failure. It
   * aborts the current plan attempt's work too.
   */
  readonly runController = new AbortController();
  /** Subtasks by id, for the current plan attempt. */
  readonly subtasks = new Map<string, Subtask>();
  /** Tokens spent on planning attempts that produced no plan. */
  readonly discardedPlanUsage: Usage = emptyUsage();
  work: PlanAttemptWork | undefined;
  budgetExceeded = false;
  /** Set when the orchestrator was closed: the lease was released already and the run stays resumable. */
  detachedByClose = false;
  private ended = false;
  private settle!: { resolve: (view: RunView) => void; reject: (error: unknown) => void };
  /** Resolves with the final view; rejects when the run was detached or its store failed. */
  readonly done: Promise<RunView>;

  constructor(options: RunExecutionOptions) {
    this.options = options;
    this.runId = options.state.view.id;
    this.done = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    this.done.catch(() => {});
    this.log = new RunLog({
      store: options.store,
      state: options.state,
      emit: options.emit,
      now: options.now,
      onWriteError: (error) => this.detach(error),
    });
    this.runController.signal.addEventListener(
      "abort",
      () => {
        if (this.work) abortWork(this.work, this.runController.signal.reason);
      },
      { once: true },
    );
    if (options.start) this.log.append({ type: "run-start", ...options.start });
    if (!options.state.options) {
      throw new OrchestrateError({
        code: "INTERNAL",
        runId: this.runId,
        message: `Run ${this.runId} has no run-start event.`,
      });
    }
    this.snapshot = options.state.options;
  }

  /** Whether `run-end` has been appended (or the run was detached). */
  get isEnded(): boolean {
    return this.ended;
  }

  /** Starts executing; the outcome arrives on {@link done}. */
  start(runTimeoutMs?: number): this {
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (runTimeoutMs !== undefined) {
      const remaining = Math.max(0, runTimeoutMs - (this.options.now() - this.log.state.view.createdAt));
      timer = setTimeout(() => {
        this.stop(
          "failed",
          new OrchestrateError({
            code: "TIMEOUT",
            runId: this.runId,
            message: `Run ${this.runId} timed out after ${runTimeoutMs} ms (timeouts.runMs).`,
          }),
        );
      }, remaining);
    }
    const finished = () => {
      if (timer) clearTimeout(timer);
      this.finish();
    };
    this.main().then(finished, (error: unknown) => {
      if (!this.ended) {
        const failure = OrchestrateError.isInstance(error)
          ? error
          : new OrchestrateError({
              code: "INTERNAL",
              runId: this.runId,
              message: `Run ${this.runId} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
              cause: error,
            });
        this.end("failed", failure);
      }
      finished();
    });
    return this;
  }

  /** Cancels the run: aborts everything in flight and appends `run-end` with status `cancelled` at once. */
  cancel(reason?: unknown): void {
    const error = OrchestrateError.isInstance(reason)
      ? reason
      : new OrchestrateError({
          code: "CANCELLED",
          runId: this.runId,
          message: `Run ${this.runId} was cancelled.`,
          cause: reason,
        });
    this.stop("cancelled", error);
  }

  /** Stops executing without writing anything more (the run stays resumable); `done` rejects with `error`. */
  detach(error: OrchestrateError): void {
    if (this.ended) return;
    this.ended = true;
    this.log.close();
    this.runController.abort(error);
    this.settle.reject(error);
  }

  /** Ends the run now with `status`, aborting in-flight work. */
  stop(status: "failed" | "cancelled", error: OrchestrateError): void {
    if (this.ended) return;
    this.end(status, error);
    this.runController.abort(error);
    this.finish();
  }

  /** Appends `run-end` once. */
  end(status: "completed" | "failed" | "cancelled", error?: OrchestrateError, reason?: RunEndReason): void {
    if (this.ended) return;
    this.ended = true;
    const usage = addUsage(normalizeUsage(this.log.state.view.usage), this.discardedPlanUsage);
    this.log.append({
      type: "run-end",
      status,
      usage,
      ...(error ? { error: serializeError(error) } : {}),
      ...(reason ? { reason } : {}),
    });
    this.log.close();
  }

  /** Stops starting tasks when the token budget is spent. */
  checkBudget(): void {
    const maxTokens = this.snapshot.budget.maxTokens;
    if (maxTokens === undefined || this.budgetExceeded) return;
    if (this.log.state.view.usage.totalTokens + this.discardedPlanUsage.totalTokens < maxTokens) return;
    this.budgetExceeded = true;
    this.work?.graph.stop();
  }

  private finish(): void {
    this.log.flush().then(
      // The log is closed: nothing mutates the view any more, so it is handed over without a copy.
      () => this.settle.resolve(this.log.state.view),
      (error: unknown) => this.settle.reject(error),
    );
  }

  private async main(): Promise<void> {
    const view = this.log.state.view;
    if (view.status !== "running") return;
    // Both make their work the run's current `work` (see `createWork`).
    const work = view.phase === "planning" ? await planRun(this) : this.resumeWork();
    if (this.ended) return;
    await work.graph.idle();
    if (this.ended) return;
    this.skipUnstarted();
    await aggregateRun(this);
  }

  /** Rebuilds the task graph from a stored plan: completed and failed tasks are settled, the rest run again. */
  private resumeWork(): PlanAttemptWork {
    const work = this.createWork();
    for (const task of this.log.state.view.plan?.tasks ?? []) this.subtasks.set(task.id, task);
    for (const task of this.log.state.view.tasks) {
      const settled =
        task.status === "completed" || task.status === "failed" || task.status === "skipped"
          ? task.status
          : undefined;
      work.graph.add(task.id, task.dependsOn, settled);
    }
    work.graph.seal();
    this.checkBudget();
    return work;
  }

  /**
   * A fresh task graph for a plan attempt, dispatching into {@link runTask}. It becomes the run's current
   * {@link work} at once, so that stopping the run aborts it.
   */
  createWork(): PlanAttemptWork {
    const controller = new AbortController();
    // A run that stopped before this attempt began gives it nothing to do.
    if (this.runController.signal.aborted) controller.abort(this.runController.signal.reason);
    const work: PlanAttemptWork = {
      controller,
      inFlight: new Set(),
      graph: new TaskGraph({
        concurrency: this.snapshot.concurrency,
        start: (taskId) => runTask(this, work, taskId),
        skip: (taskId, failedDependency) => {
          if (controller.signal.aborted) return;
          this.log.append({
            type: "task-error",
            taskId,
            status: "skipped",
            error: {
              code: "TASK_FAILED",
              taskId,
              message: `Skipped: subtask "${failedDependency}", which it depends on, did not complete.`,
            },
          });
        },
      }),
    };
    if (this.budgetExceeded) work.graph.stop();
    this.work = work;
    return work;
  }

  /** Marks tasks that never started (the budget ran out) as skipped. */
  private skipUnstarted(): void {
    if (!this.budgetExceeded) return;
    for (const task of this.log.state.view.tasks) {
      if (task.status !== "pending") continue;
      this.log.append({
        type: "task-error",
        taskId: task.id,
        status: "skipped",
        error: {
          code: "BUDGET_EXCEEDED",
          taskId: task.id,
          message: `Skipped: the token budget of ${this.snapshot.budget.maxTokens} tokens was spent before it could start.`,
        },
      });
    }
  }
}
