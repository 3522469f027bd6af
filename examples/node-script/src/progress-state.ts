import type { RunEvent, TaskStatus } from "@orchestrator-workers/core";

/** What the terminal shows about one subtask. */
export interface TaskLine {
  id: string;
  title: string;
  type: string;
  status: TaskStatus;
  startedAt?: number;
  endedAt?: number;
  tokens: number;
  attempts: number;
  note?: string;
}

/** The demo's view of a run, updated event by event. */
export class ProgressState {
  readonly tasks = new Map<string, TaskLine>();
  phase = "planning";
  planTokens = 0;
  answer = "";
  readonly startedAt = Date.now();

  /** Applies one event; answers a plain-text line describing it, for non-TTY output. */
  apply(event: RunEvent): string | undefined {
    switch (event.type) {
      case "plan-start":
        this.tasks.clear();
        return event.attempt > 1
          ? `planning again (${event.feedback ?? "previous plan invalid"})`
          : "planning…";
      case "plan-task":
        this.tasks.set(event.task.id, {
          id: event.task.id,
          title: event.task.title,
          type: event.task.type,
          status: "pending",
          tokens: 0,
          attempts: 0,
        });
        return `planned ${event.task.id}: ${event.task.title}${event.task.dependsOn.length > 0 ? ` (after ${event.task.dependsOn.join(", ")})` : ""}`;
      case "plan-end":
        this.phase = "working";
        this.planTokens = event.usage.totalTokens;
        return `plan ready: ${event.plan.tasks.length} subtasks (${event.usage.totalTokens} tokens)`;
      case "task-start": {
        const task = this.tasks.get(event.taskId);
        if (!task) return undefined;
        task.status = "running";
        task.startedAt = event.at;
        task.attempts = event.attempt;
        return `started ${event.taskId}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ""}`;
      }
      case "task-retry": {
        const task = this.tasks.get(event.taskId);
        if (task) task.note = `retrying in ${event.delayMs} ms: ${event.error.message}`;
        return `retrying ${event.taskId} in ${event.delayMs} ms: ${event.error.message}`;
      }
      case "task-end": {
        const task = this.tasks.get(event.taskId);
        if (!task) return undefined;
        task.status = "completed";
        task.endedAt = event.at;
        task.tokens += event.usage.totalTokens;
        delete task.note;
        return `completed ${event.taskId} in ${seconds((task.endedAt ?? 0) - (task.startedAt ?? 0))} (${task.tokens} tokens)`;
      }
      case "task-error": {
        const task = this.tasks.get(event.taskId);
        if (!task) return undefined;
        task.status = event.status;
        task.endedAt = event.at;
        task.note = event.error.message;
        return `${event.status} ${event.taskId}: ${event.error.message}`;
      }
      case "aggregate-start":
        this.phase = "aggregating";
        return "aggregating…";
      case "aggregate-delta":
        this.answer += event.delta;
        return undefined;
      case "run-end":
        this.phase = "done";
        return `run ${event.status}${event.error ? `: ${event.error.message}` : ""}`;
      default:
        return undefined;
    }
  }
}

/** Milliseconds as seconds with one decimal. */
export function seconds(milliseconds: number): string {
  return `${(Math.max(0, milliseconds) / 1000).toFixed(1)}s`;
}
