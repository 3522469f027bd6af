import type { Usage } from "../types/usage.js";
import type { RoleContext } from "./role-context.js";

/**
 * A subtask as a planner may produce it. Missing fields are filled in: `type` becomes `"default"`, `title` is
 * taken from `details`, `dependsOn` becomes `[]`. A bare string is a task whose `details` is the string and whose
 * id is `t<n>` (n = its 1-based position), which is what the original `{tasks: string[]}` plans look like.
 */
export type PlannedTask =
  | string
  | { id: string; details: string; type?: string; title?: string; dependsOn?: string[] };

/** What a planner is asked to plan. */
export interface PlanInput {
  /** The user's prompt. */
  prompt: string;
  /** The most subtasks the plan may have. Tell the model. */
  maxSubtasks: number;
  /** The task types that have a worker; `"default"` is always allowed when a default worker exists. */
  taskTypes: string[];
  /** Set when an earlier plan was invalid: exactly what was wrong with it. Tell the model. */
  feedback?: string;
  /** 1 for the first attempt, 2 for the retry after an invalid plan. */
  attempt: number;
}

/** A finished plan, as a non-streaming planner returns it. */
export interface PlanResult {
  /** The planner's reasoning about how to split the work. */
  analysis?: string;
  /** The subtasks. */
  tasks: PlannedTask[];
  /** Tokens spent. */
  usage?: Partial<Usage>;
}

/** What a streaming planner returns from its generator when it is done. */
export interface PlanSummary {
  /** The planner's reasoning about how to split the work. */
  analysis?: string;
  /** Tokens spent. */
  usage?: Partial<Usage>;
}

/**
 * The orchestrator role: breaks a prompt into subtasks. Return a {@link PlanResult}, or better an async
 * iterable of subtasks so that workers start while the plan is still being generated (pipelined dispatch).
 * An async generator may `return` a {@link PlanSummary} with the analysis and usage.
 */
export interface Planner {
  plan(
    input: PlanInput,
    context: RoleContext,
  ):
    | PlanResult
    | Promise<PlanResult>
    | AsyncIterable<PlannedTask>
    // biome-ignore lint/suspicious/noConfusingVoidType: a generator with no `return` has the return type void.
    | AsyncGenerator<PlannedTask, PlanSummary | undefined | void>;
}
