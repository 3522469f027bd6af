import { invalidArgument } from "../errors/orchestrate-error.js";
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
  if (typeof options !== "object" || options === null) {
    return Promise.reject(invalidArgument("options", "an object", options));
  }
  // Only what is set, built field by field: an object rest over the options would copy them through V8's
  // slow path on every call. The run reads its own fields from `options` itself.
  const orchestratorOptions: OrchestratorOptions<TOutput> = {
    orchestrator: options.orchestrator,
    worker: options.worker,
  };
  if (options.aggregator !== undefined) orchestratorOptions.aggregator = options.aggregator;
  if (options.store !== undefined) orchestratorOptions.store = options.store;
  if (options.limiter !== undefined) orchestratorOptions.limiter = options.limiter;
  if (options.leaseMs !== undefined) orchestratorOptions.leaseMs = options.leaseMs;
  if (options.pollIntervalMs !== undefined) orchestratorOptions.pollIntervalMs = options.pollIntervalMs;
  if (options.executor !== undefined) orchestratorOptions.executor = options.executor;
  if (options.ownerId !== undefined) orchestratorOptions.ownerId = options.ownerId;
  return createOrchestrator<TOutput>(orchestratorOptions).run(options.prompt, options);
}
