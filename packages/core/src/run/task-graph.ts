/** How a task left the graph. */
export type TaskOutcome = "completed" | "failed";

/** Options for {@link TaskGraph}. */
export interface TaskGraphOptions {
  /** Max tasks started and not yet settled. */
  concurrency: number;
  /** Starts a task. The graph counts it as running until {@link TaskGraph.settle} is called for it. */
  start: (taskId: string) => void;
  /** A task can never run because a dependency failed (or was itself skipped). Called once per task. */
  skip: (taskId: string, failedDependency: string) => void;
}

/**
 * Dependency-aware dispatch without wave barriers: each task keeps a count of unfinished dependencies, a task
 * whose count reaches zero joins a FIFO ready queue, and a free slot takes the head of the queue. Every
 * operation is O(1) per edge touched, so a run costs O(tasks + edges) in total, with no scan or
 * `Promise.race` over what is in flight. Tasks may be added while others run (pipelined planning); a task that
 * names a dependency not added yet waits for it (the plan validator rejects dependencies that never come).
 */
export class TaskGraph {
  private readonly options: TaskGraphOptions;
  private readonly waitingOn = new Map<string, number>();
  private readonly dependents = new Map<string, string[]>();
  private readonly outcomes = new Map<string, TaskOutcome | "skipped">();
  private readonly ready: string[] = [];
  private readyHead = 0;
  private running = 0;
  private stopped = false;
  private sealed = false;
  private idleResolve: (() => void) | undefined;
  private readonly idlePromise: Promise<void>;

  constructor(options: TaskGraphOptions) {
    this.options = options;
    this.idlePromise = new Promise((resolve) => {
      this.idleResolve = resolve;
    });
  }

  /**
   * Adds a task. `settled` marks one that already ended (on resume): it starts nothing but releases or skips
   * its dependents like a live settlement would.
   */
  add(taskId: string, dependsOn: readonly string[], settled?: TaskOutcome | "skipped"): void {
    if (settled !== undefined) {
      this.outcomes.set(taskId, settled);
      this.release(taskId, settled);
      return;
    }
    let unfinished = 0;
    for (const dependency of dependsOn) {
      const outcome = this.outcomes.get(dependency);
      if (outcome === "completed") continue;
      if (outcome !== undefined) {
        this.markSkipped(taskId, dependency);
        return;
      }
      unfinished++;
      const list = this.dependents.get(dependency);
      if (list) list.push(taskId);
      else this.dependents.set(dependency, [taskId]);
    }
    if (unfinished === 0) this.ready.push(taskId);
    else this.waitingOn.set(taskId, unfinished);
    this.pump();
  }

  /** Records how a started task ended, frees its slot, and releases or skips its dependents. */
  settle(taskId: string, outcome: TaskOutcome): void {
    this.running--;
    this.outcomes.set(taskId, outcome);
    this.release(taskId, outcome);
    this.pump();
  }

  /** Starts nothing more. Tasks in flight still settle; {@link idle} resolves when they have. */
  stop(): void {
    this.stopped = true;
    this.checkIdle();
  }

  /** No more tasks will be added. */
  seal(): void {
    this.sealed = true;
    this.checkIdle();
  }

  /** Ids of tasks that were added but never started (waiting on dependencies or queued), in no particular order. */
  unstarted(): string[] {
    const ids = this.ready.slice(this.readyHead);
    for (const id of this.waitingOn.keys()) ids.push(id);
    return ids;
  }

  /** Resolves when sealed (or stopped) and nothing is running or runnable. */
  idle(): Promise<void> {
    this.checkIdle();
    return this.idlePromise;
  }

  private release(taskId: string, outcome: TaskOutcome | "skipped"): void {
    const waiting = this.dependents.get(taskId);
    if (!waiting) return;
    this.dependents.delete(taskId);
    for (const dependent of waiting) {
      if (!this.waitingOn.has(dependent)) continue;
      if (outcome !== "completed") {
        this.waitingOn.delete(dependent);
        this.markSkipped(dependent, taskId);
        continue;
      }
      const remaining = this.waitingOn.get(dependent)! - 1;
      if (remaining === 0) {
        this.waitingOn.delete(dependent);
        this.ready.push(dependent);
      } else {
        this.waitingOn.set(dependent, remaining);
      }
    }
  }

  private markSkipped(taskId: string, failedDependency: string): void {
    this.outcomes.set(taskId, "skipped");
    this.options.skip(taskId, failedDependency);
    this.release(taskId, "skipped");
  }

  private pump(): void {
    while (!this.stopped && this.running < this.options.concurrency && this.readyHead < this.ready.length) {
      const taskId = this.ready[this.readyHead++]!;
      this.running++;
      this.options.start(taskId);
    }
    if (this.readyHead === this.ready.length && this.readyHead > 0) {
      this.ready.length = 0;
      this.readyHead = 0;
    }
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.running > 0) return;
    const nothingRunnable = this.stopped || this.readyHead === this.ready.length;
    if ((this.sealed || this.stopped) && nothingRunnable) this.idleResolve?.();
  }
}
