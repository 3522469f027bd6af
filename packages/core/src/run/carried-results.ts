import type { Subtask } from "../types/subtask.js";
import type { RunState } from "./fold-run.js";

/**
 * Outputs of subtasks that completed under a plan that was then discarded: a streamed plan that turned out
 * invalid, or a run resumed before `plan-end` (pipelined tasks may have completed already). When the new plan
 * contains the very same task (same id, type, details and dependencies) whose dependencies were all reused too,
 * its output is reused instead of paying for the work again.
 */
export class CarriedResults {
  private readonly outputs = new Map<string, unknown>();

  /** Remembers every completed task of the current fold. Call before a new `plan-start` discards it. */
  collect(state: RunState): void {
    for (const task of state.view.tasks) {
      if (task.status === "completed") this.outputs.set(signature(task), task.output);
    }
  }

  /**
   * The output to reuse for `task`, if an identical task completed before and each of its dependencies was
   * reused in this plan (so the output was computed from the same inputs). Each output is reused once.
   */
  take(task: Subtask, reused: ReadonlySet<string>): { output: unknown } | undefined {
    if (this.outputs.size === 0 || !task.dependsOn.every((dependency) => reused.has(dependency)))
      return undefined;
    const key = signature(task);
    if (!this.outputs.has(key)) return undefined;
    const output = this.outputs.get(key);
    this.outputs.delete(key);
    return { output };
  }
}

function signature(task: Pick<Subtask, "id" | "type" | "details" | "dependsOn">): string {
  return JSON.stringify([task.id, task.type, task.details, task.dependsOn]);
}
