import type { PersistedRunEvent } from "../types/run-event.js";
import type { RunOptionsSnapshot } from "../types/run-options-snapshot.js";
import type { RunUsage, RunView, TaskView } from "../types/run-view.js";
import { addUsage, emptyUsage } from "../types/usage.js";

/** An empty run usage. */
export function emptyRunUsage(): RunUsage {
  return {
    ...emptyUsage(),
    byRole: { orchestrator: emptyUsage(), worker: emptyUsage(), aggregator: emptyUsage() },
  };
}

/**
 * The mutable fold state: a {@link RunView} plus an index from task id to task, so that applying an event is
 * O(1). Build it with {@link createRunState}, feed it with {@link applyEvent}, read it with {@link toRunView}.
 */
export interface RunState {
  view: RunView;
  taskIndex: Map<string, TaskView>;
  /** The options the run was started with, from its `run-start` event. */
  options?: RunOptionsSnapshot;
  /**
   * Per task, the last attempt that ended in `task-retry`. An attempt that was started but never ended (its
   * process died) is resumed under the same number, so a durable executor finds its step by the same name.
   */
  retriedAttempts: Map<string, number>;
}

/** A fold state for a run that has no events yet. */
export function createRunState(runId: string, createdAt = 0): RunState {
  return {
    view: {
      id: runId,
      status: "queued",
      phase: "planning",
      prompt: "",
      tasks: [],
      usage: emptyRunUsage(),
      createdAt,
      updatedAt: createdAt,
      seq: 0,
    },
    taskIndex: new Map(),
    retriedAttempts: new Map(),
  };
}

/** Applies one stored event to the state, in place, in O(1). Events must be applied in seq order. */
export function applyEvent(state: RunState, event: PersistedRunEvent): void {
  const view = state.view;
  view.seq = event.seq;
  view.updatedAt = event.at;
  switch (event.type) {
    case "run-start":
      view.status = "running";
      view.phase = "planning";
      view.prompt = event.prompt;
      view.createdAt = event.at;
      state.options = event.options;
      if (event.tenant !== undefined) view.tenant = event.tenant;
      if (event.metadata !== undefined) view.metadata = event.metadata;
      break;
    case "plan-start":
      // A new attempt discards the earlier, invalid plan and any tasks it started.
      view.phase = "planning";
      view.tasks = [];
      view.plan = { tasks: [] };
      state.taskIndex.clear();
      state.retriedAttempts.clear();
      break;
    case "plan-task": {
      // Every field up front, in one order: one object shape for all tasks keeps later writes fast.
      const { id, type, title, details, dependsOn } = event.task;
      const task: TaskView = {
        id,
        type,
        title,
        details,
        dependsOn,
        status: "pending",
        attempts: 0,
        usage: emptyUsage(),
        output: undefined,
        error: undefined,
        startedAt: undefined,
        endedAt: undefined,
      };
      view.tasks.push(task);
      state.taskIndex.set(task.id, task);
      view.plan ??= { tasks: [] };
      view.plan.tasks.push(event.task);
      break;
    }
    case "plan-end":
      view.plan = event.plan;
      view.phase = "working";
      addUsage(view.usage, event.usage);
      addUsage(view.usage.byRole.orchestrator, event.usage);
      break;
    case "task-start": {
      const task = state.taskIndex.get(event.taskId);
      if (!task) break;
      task.status = "running";
      task.attempts = event.attempt;
      task.startedAt = event.at;
      break;
    }
    case "task-retry": {
      state.retriedAttempts.set(event.taskId, event.attempt);
      const task = state.taskIndex.get(event.taskId);
      if (!task || !event.usage) break;
      addUsage(task.usage, event.usage);
      addRunWorkerUsage(view.usage, event.usage);
      break;
    }
    case "task-end": {
      const task = state.taskIndex.get(event.taskId);
      if (!task) break;
      task.status = "completed";
      task.output = event.output;
      task.endedAt = event.at;
      task.error = undefined;
      addUsage(task.usage, event.usage);
      addRunWorkerUsage(view.usage, event.usage);
      break;
    }
    case "task-error": {
      const task = state.taskIndex.get(event.taskId);
      if (!task) break;
      task.status = event.status;
      task.error = event.error;
      task.endedAt = event.at;
      if (event.usage) {
        addUsage(task.usage, event.usage);
        addRunWorkerUsage(view.usage, event.usage);
      }
      break;
    }
    case "aggregate-start":
      view.phase = "aggregating";
      break;
    case "aggregate-end":
      view.output = event.output;
      addUsage(view.usage, event.usage);
      addUsage(view.usage.byRole.aggregator, event.usage);
      break;
    case "run-end": {
      // run-end carries the authoritative total; what no earlier event accounted for (planning attempts that
      // never produced a plan) is the orchestrator's.
      const unaccounted = event.usage.totalTokens - view.usage.totalTokens;
      if (unaccounted > 0) {
        const missing = {
          inputTokens: Math.max(0, event.usage.inputTokens - view.usage.inputTokens),
          outputTokens: Math.max(0, event.usage.outputTokens - view.usage.outputTokens),
          totalTokens: unaccounted,
        };
        addUsage(view.usage, missing);
        addUsage(view.usage.byRole.orchestrator, missing);
      }
      view.status = event.status;
      view.phase = "done";
      if (event.error) view.error = event.error;
      if (event.reason) view.reason = event.reason;
      // Tasks still open when the run ended can no longer progress.
      for (const task of view.tasks) {
        if (task.status === "pending" || task.status === "running") {
          task.status = "cancelled";
          task.endedAt ??= event.at;
          if (event.error && !task.error) task.error = event.error;
        }
      }
      break;
    }
  }
}

function addRunWorkerUsage(usage: RunUsage, delta: Parameters<typeof addUsage>[1]): void {
  addUsage(usage, delta);
  addUsage(usage.byRole.worker, delta);
}

/** Folds a whole event log into a {@link RunState}. */
export function foldState(runId: string, events: Iterable<PersistedRunEvent>): RunState {
  const state = createRunState(runId);
  for (const event of events) applyEvent(state, event);
  return state;
}

/** Folds a whole event log into a {@link RunView}. */
export function foldRun(runId: string, events: Iterable<PersistedRunEvent>): RunView {
  return foldState(runId, events).view;
}

/** A deep, detached copy of the state's view, safe to hand to callers. */
export function toRunView<TOutput = unknown>(state: RunState): RunView<TOutput> {
  return structuredClone(state.view) as RunView<TOutput>;
}
