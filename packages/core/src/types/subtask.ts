/**
 * One unit of work in a plan. Workers for a task are chosen by {@link Subtask.type}; a task runs once every
 * task named in {@link Subtask.dependsOn} has completed, and its worker receives their outputs.
 */
export interface Subtask {
  /** Unique within the plan; short and stable, such as `"research"` or `"t1"`. */
  id: string;
  /** Routes the task to a worker in the worker map; `"default"` when the planner gives none. */
  type: string;
  /** A short human-readable title, shown in progress output. */
  title: string;
  /** Everything the worker needs to know to do the task. */
  details: string;
  /** Ids of the tasks whose outputs this one needs. Empty when it can start at once. */
  dependsOn: string[];
}

/** A plan: the orchestrator's analysis of the prompt and the subtasks it broke it into. */
export interface Plan {
  /** The orchestrator's reasoning about how to split the work, when it gave one. */
  analysis?: string;
  /** The subtasks, in the order the planner produced them. */
  tasks: Subtask[];
}
