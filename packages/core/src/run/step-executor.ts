/**
 * Runs one durable step of a run. The default runs the function directly; the Cloudflare adapter maps it to
 * `step.do(name, ...)` so each phase and subtask is a Workflows step. Names are deterministic: `plan`,
 * `task:<id>` (with `#<attempt>` after the first attempt) and `aggregate`.
 */
export interface StepExecutor {
  do<TResult>(name: string, run: () => Promise<TResult>): Promise<TResult>;
  /**
   * Durable executors run each step to completion and keep its result, so the planner's stream is collected
   * inside the plan step and workers start after it (no pipelined dispatch). @default false
   */
  durable?: boolean;
}

/** Runs steps in process, directly. */
export const directExecutor: StepExecutor = {
  do: (_name, run) => run(),
};
