import { invalidArgument } from "../errors/orchestrate-error.js";
import type { Limiter } from "../limiter/limiter.js";
import {
  type AggregatorRole,
  type OrchestratorRole,
  type ResolvedRoles,
  resolveRoles,
  type WorkerMap,
  type WorkerRole,
} from "../roles/resolve-roles.js";
import type { StepExecutor } from "../run/step-executor.js";
import { memoryStore } from "../store/memory-store.js";
import type { RunStore } from "../store/run-store.js";
import type { ExecutionOptions } from "./orchestrator.js";
import { resolveExecutionOptions } from "./validate-options.js";

/** Options for {@link createOrchestrator}. */
export interface OrchestratorOptions<TOutput = string> {
  /** Plans the work: a model (shorthand for `modelPlanner(model)`) or any object with `plan()`. */
  orchestrator: OrchestratorRole;
  /** Executes subtasks: one worker for every type, or a map by task type with an optional `default`. */
  worker: WorkerRole | WorkerMap;
  /** Synthesizes the result. @default the orchestrator's model, when it is one */
  aggregator?: AggregatorRole<TOutput>;
  /** Where runs are stored. @default memoryStore() */
  store?: RunStore;
  /** Paces worker calls across every run sharing it (see `createLimiter`). @default none */
  limiter?: Limiter;
  /** Execution limits for every run, each overridable per run. */
  defaults?: ExecutionOptions;
  /**
   * How long a run's lease lasts, in milliseconds; it is renewed every third of that while the run executes.
   * After a crash, another process can recover the run once the lease expires. @default 30000
   */
  leaseMs?: number;
  /** How often `subscribe` polls a store that cannot push, in milliseconds. @default 500 */
  pollIntervalMs?: number;
  /** Runs each phase and subtask as a step; adapters for durable engines set it. @default direct execution */
  executor?: StepExecutor;
  /** Names this process in leases. @default a random UUID */
  ownerId?: string;
}

/** The validated pieces of {@link OrchestratorOptions}. */
export interface ValidatedOrchestratorOptions {
  roles: ResolvedRoles;
  store: RunStore;
  leaseMs: number;
  pollIntervalMs: number;
}

/** Validates everything `createOrchestrator` takes, naming the option that is wrong. */
export function validateOrchestratorOptions(options: OrchestratorOptions<any>): ValidatedOrchestratorOptions {
  if (typeof options !== "object" || options === null) throw invalidArgument("options", "an object", options);
  const roles = resolveRoles(options);
  const store = options.store ?? memoryStore();
  if (
    typeof store !== "object" ||
    typeof store.createRun !== "function" ||
    typeof store.append !== "function"
  ) {
    throw invalidArgument("store", "a RunStore (createRun, append, readEvents, ...)", store);
  }
  if (options.limiter !== undefined && typeof options.limiter?.acquire !== "function") {
    throw invalidArgument("limiter", "a Limiter (an object with acquire())", options.limiter);
  }
  const leaseMs = options.leaseMs ?? 30_000;
  if (!Number.isFinite(leaseMs) || leaseMs < 10)
    throw invalidArgument("leaseMs", "a number of milliseconds >= 10", leaseMs);
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  if (!Number.isFinite(pollIntervalMs) || pollIntervalMs < 1) {
    throw invalidArgument("pollIntervalMs", "a positive number of milliseconds", pollIntervalMs);
  }
  if (options.executor !== undefined && typeof options.executor?.do !== "function") {
    throw invalidArgument("executor", "a StepExecutor (an object with do())", options.executor);
  }
  // Fail at creation, not at the first run, when the defaults are wrong.
  resolveExecutionOptions(undefined, options.defaults, "defaults.");
  return { roles, store, leaseMs, pollIntervalMs };
}
