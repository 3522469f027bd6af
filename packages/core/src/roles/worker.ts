import type { Subtask } from "../types/subtask.js";
import type { Usage } from "../types/usage.js";
import type { RoleContext } from "./role-context.js";

/** The output of a dependency, as a worker receives it. */
export interface DependencyResult {
  /** The dependency subtask. */
  task: Subtask;
  /** Its worker's output. */
  output: unknown;
}

/** What a worker is asked to do. */
export interface WorkerInput {
  /** The user's original prompt. */
  prompt: string;
  /** The subtask to execute. */
  task: Subtask;
  /** The outputs of the tasks this one depends on, in `dependsOn` order. */
  dependencies: DependencyResult[];
  /** Same as `context.signal`, for convenience. */
  signal: AbortSignal;
  /** 1 for the first attempt; higher on retries. */
  attempt: number;
}

/** What a worker returns. */
export interface WorkerResult<TOutput = unknown> {
  /** The task's output; must be JSON-serializable so it can be stored. */
  output: TOutput;
  /** Tokens spent. */
  usage?: Partial<Usage>;
}

/** A worker role: executes one subtask. */
export interface Worker<TOutput = unknown> {
  run(input: WorkerInput, context: RoleContext): Promise<WorkerResult<TOutput>>;
  /**
   * Groups calls in a shared {@link Limiter}; workers with the same key are paced together.
   * Model workers use `provider:modelId`. @default the task type
   */
  limiterKey?: string;
}

/**
 * A plain function is a worker too: it returns the output itself (string or any JSON value) and may report
 * usage with `context.reportUsage`.
 */
export type WorkerFunction<TOutput = unknown> = (
  input: WorkerInput,
  context: RoleContext,
) => TOutput | Promise<TOutput>;
