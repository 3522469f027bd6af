import { describeValue, OrchestrateError } from "../errors/orchestrate-error.js";
import type { PlannedTask } from "../roles/planner.js";
import type { Plan, Subtask } from "../types/subtask.js";

/** Options for {@link PlanBuilder}. */
export interface PlanBuilderOptions {
  /** The most subtasks a plan may have. */
  maxSubtasks: number;
  /** Whether a task type has a worker (directly or through the default worker). */
  hasWorker: (type: string) => boolean;
}

const idPattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const titleLength = 80;

/**
 * Normalizes subtasks as a planner produces them and validates the plan: each task on arrival (shape, id,
 * duplicates, self-dependencies, worker for its type, the cap) and the whole plan at the end (empty, unknown
 * dependencies, cycles). Every failure is a `PLAN_INVALID` whose message says exactly what was wrong, because it
 * is shown to the planner when it is asked again.
 */
export class PlanBuilder {
  private readonly options: PlanBuilderOptions;
  private readonly tasks: Subtask[] = [];
  private readonly ids = new Set<string>();
  /** Whether every dependency so far names a task listed before it: then there is no cycle to look for. */
  private dependenciesPointBack = true;

  constructor(options: PlanBuilderOptions) {
    this.options = options;
  }

  /** The tasks accepted so far. */
  get size(): number {
    return this.tasks.length;
  }

  /** Normalizes and validates one task; throws `PLAN_INVALID`. */
  add(raw: PlannedTask): Subtask {
    const position = this.tasks.length + 1;
    const task = normalizeTask(raw, position);
    if (position > this.options.maxSubtasks) {
      throw invalid(
        `the plan has more than ${this.options.maxSubtasks} subtasks (the cap); merge related work.`,
      );
    }
    if (this.ids.has(task.id)) throw invalid(`two subtasks have the id "${task.id}"; ids must be unique.`);
    if (task.dependsOn.includes(task.id)) throw invalid(`subtask "${task.id}" depends on itself.`);
    if (!this.options.hasWorker(task.type)) {
      throw invalid(`subtask "${task.id}" has type "${task.type}", for which there is no worker.`);
    }
    if (this.dependenciesPointBack) {
      for (const dependency of task.dependsOn) {
        if (!this.ids.has(dependency)) this.dependenciesPointBack = false;
      }
    }
    this.ids.add(task.id);
    this.tasks.push(task);
    return task;
  }

  /** Validates the whole plan and returns it; throws `PLAN_INVALID`. */
  finish(analysis: string | undefined): Plan {
    if (this.tasks.length === 0) throw invalid("the plan has no subtasks; it needs at least one.");
    if (this.dependenciesPointBack) return planOf(analysis, this.tasks);
    for (const task of this.tasks) {
      for (const dependency of task.dependsOn) {
        if (!this.ids.has(dependency)) {
          throw invalid(`subtask "${task.id}" depends on "${dependency}", which is not in the plan.`);
        }
      }
    }
    const cycle = findCycle(this.tasks);
    if (cycle) throw invalid(`the dependencies form a cycle: ${cycle.map((id) => `"${id}"`).join(" -> ")}.`);
    return planOf(analysis, this.tasks);
  }
}

function planOf(analysis: string | undefined, tasks: Subtask[]): Plan {
  return analysis === undefined ? { tasks } : { analysis, tasks };
}

function invalid(reason: string): OrchestrateError {
  return new OrchestrateError({ code: "PLAN_INVALID", message: `Invalid plan: ${reason}` });
}

function normalizeTask(raw: PlannedTask, position: number): Subtask {
  if (typeof raw === "string") {
    if (raw.trim() === "") throw invalid(`subtask ${position} is an empty string.`);
    return { id: `t${position}`, type: "default", title: toTitle(raw), details: raw, dependsOn: [] };
  }
  if (typeof raw !== "object" || raw === null) {
    throw invalid(`subtask ${position} must be an object or a string, received ${describeValue(raw)}.`);
  }
  const id = typeof raw.id === "number" ? String(raw.id) : raw.id;
  if (typeof id !== "string" || !idPattern.test(id)) {
    throw invalid(
      `subtask ${position} has id ${describeValue(raw.id)}; ids are 1-64 characters of letters, digits, "_", ".", ":" or "-", starting with a letter or digit.`,
    );
  }
  if (typeof raw.details !== "string" || raw.details.trim() === "") {
    throw invalid(
      `subtask "${id}" needs "details": a non-empty string, received ${describeValue(raw.details)}.`,
    );
  }
  const type = raw.type ?? "default";
  if (typeof type !== "string" || type === "") {
    throw invalid(`subtask "${id}" has type ${describeValue(raw.type)}; expected a non-empty string.`);
  }
  const title = raw.title === undefined || raw.title === "" ? toTitle(raw.details) : raw.title;
  if (typeof title !== "string")
    throw invalid(`subtask "${id}" has title ${describeValue(raw.title)}; expected a string.`);
  const dependsOn = raw.dependsOn ?? [];
  if (!Array.isArray(dependsOn)) {
    throw invalid(
      `subtask "${id}" has dependsOn ${describeValue(raw.dependsOn)}; expected an array of subtask ids.`,
    );
  }
  const dependencies: string[] = [];
  for (const dependency of dependsOn as unknown[]) {
    const dependencyId = typeof dependency === "number" ? String(dependency) : dependency;
    if (typeof dependencyId !== "string") {
      throw invalid(`subtask "${id}" lists ${describeValue(dependency)} in dependsOn; expected subtask ids.`);
    }
    if (!dependencies.includes(dependencyId)) dependencies.push(dependencyId);
  }
  return { id, type, title, details: raw.details, dependsOn: dependencies };
}

function toTitle(details: string): string {
  const line = details.trim().split("\n", 1)[0] ?? "";
  return line.length > titleLength ? `${line.slice(0, titleLength - 1)}…` : line;
}

/** A dependency cycle as a path of ids (first id repeated at the end), or undefined. Iterative DFS, O(V + E). */
function findCycle(tasks: readonly Subtask[]): string[] | undefined {
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const state = new Map<string, "visiting" | "done">();
  for (const root of tasks) {
    if (state.has(root.id)) continue;
    const path: string[] = [];
    const stack: Array<{ id: string; next: number }> = [{ id: root.id, next: 0 }];
    state.set(root.id, "visiting");
    path.push(root.id);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const dependencies = byId.get(frame.id)!.dependsOn;
      if (frame.next >= dependencies.length) {
        state.set(frame.id, "done");
        stack.pop();
        path.pop();
        continue;
      }
      const dependency = dependencies[frame.next++]!;
      const seen = state.get(dependency);
      if (seen === "visiting") return [...path.slice(path.indexOf(dependency)), dependency];
      if (seen === undefined) {
        state.set(dependency, "visiting");
        stack.push({ id: dependency, next: 0 });
        path.push(dependency);
      }
    }
  }
  return undefined;
}
