import type { RunResult } from "../types/run-view.js";
import { createOrchestrator, type OrchestratorOptions } from "./create-orchestrator.js";
import type { RunOptions } from "./orchestrator.js";

/** Options for {@link orchestrate}: the orchestrator's options, one run's options, and the prompt. */
export interface OrchestrateOptions<TOutput = string>
  extends Omit<OrchestratorOptions<TOutput>, "defaults">,
    RunOptions {
  /** What to do. */
  prompt: string;
}

/**
 * Runs the orchestrator-workers pattern once: plan the prompt into subtasks, run workers in parallel as their
 * dependencies complete, aggregate. Resolves with the final run (check `status`); rejects only for invalid
 * options or an unavailable store. Shorthand for `createOrchestrator(options).run(prompt, options)`.
 */
export function orchestrate<TOutput = string>(
  options: OrchestrateOptions<TOutput>,
): Promise<RunResult<TOutput>> {
  const {
    prompt,
    orchestrator,
    worker,
    aggregator,
    store,
    limiter,
    leaseMs,
    pollIntervalMs,
    executor,
    ownerId,
    ...runOptions
  } = options;
  const instance = createOrchestrator<TOutput>({
    orchestrator,
    worker,
    ...(aggregator === undefined ? {} : { aggregator }),
    ...(store === undefined ? {} : { store }),
    ...(limiter === undefined ? {} : { limiter }),
    ...(leaseMs === undefined ? {} : { leaseMs }),
    ...(pollIntervalMs === undefined ? {} : { pollIntervalMs }),
    ...(executor === undefined ? {} : { executor }),
    ...(ownerId === undefined ? {} : { ownerId }),
  });
  return instance.run(prompt, runOptions);
}
