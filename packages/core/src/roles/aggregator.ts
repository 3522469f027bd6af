import type { SerializedError } from "../errors/orchestrate-error.js";
import type { Plan, Subtask } from "../types/subtask.js";
import type { Usage } from "../types/usage.js";
import type { RoleContext } from "./role-context.js";

/** One completed subtask, as the aggregator receives it. */
export interface TaskResult {
  task: Subtask;
  output: unknown;
}

/** One subtask that did not complete, as the aggregator receives it. */
export interface TaskFailure {
  task: Subtask;
  /** `failed`: the worker failed for good; `skipped`: a dependency failed or the budget ran out. */
  status: "failed" | "skipped";
  error: SerializedError;
}

/** What the aggregator is asked to synthesize. */
export interface AggregateInput {
  /** The user's original prompt. */
  prompt: string;
  /** The final plan. */
  plan: Plan;
  /** Completed subtasks with their outputs, in plan order. */
  results: TaskResult[];
  /** Subtasks that did not complete, with why. Tell the model, so the answer can say what is missing. */
  failures: TaskFailure[];
  /** Same as `context.signal`. */
  signal: AbortSignal;
}

/** What the aggregator returns. */
export interface AggregateResult<TOutput = unknown> {
  /** The run's output; must be JSON-serializable. */
  output: TOutput;
  /** Tokens spent. */
  usage?: Partial<Usage>;
}

/** The aggregator role: synthesizes the workers' results into one output. */
export interface Aggregator<TOutput = unknown> {
  aggregate(input: AggregateInput, context: RoleContext): Promise<AggregateResult<TOutput>>;
}
