import { describeValue, invalidArgument, OrchestrateError } from "../errors/orchestrate-error.js";
import type { Aggregator } from "./aggregator.js";
import { isLanguageModel, type LanguageModelObject } from "./is-language-model.js";
import { modelAggregator } from "./model-aggregator.js";
import { modelPlanner } from "./model-planner.js";
import { modelWorker } from "./model-worker.js";
import type { Planner } from "./planner.js";
import type { Worker, WorkerFunction, WorkerResult } from "./worker.js";

/** An AI SDK model instance. Bare string ids are refused: they route to a network gateway. */
export type ModelInstance = LanguageModelObject;

/** The orchestrator role: a model (shorthand for `modelPlanner(model)`) or any {@link Planner}. */
export type OrchestratorRole = ModelInstance | Planner;

/** One worker: a model (shorthand for `modelWorker(model)`), a {@link Worker}, or a plain function. */
export type WorkerRole = ModelInstance | Worker | WorkerFunction;

/** Workers by task type; `default` takes every type without its own worker. */
export type WorkerMap = { [taskType: string]: WorkerRole | undefined; default?: WorkerRole };

/** The aggregator role: a model (shorthand for `modelAggregator(model)`) or any {@link Aggregator}. */
export type AggregatorRole<TOutput = unknown> = ModelInstance | Aggregator<TOutput>;

/** A worker ready for the scheduler. */
export interface ResolvedWorker {
  run: Worker["run"];
  /** The key it is paced under in a shared limiter. */
  limiterKey: string;
}

/** The three roles, resolved from their shorthands. */
export interface ResolvedRoles {
  planner: Planner;
  aggregator: Aggregator;
  /** The worker for a task type, falling back to `default`. */
  workerFor(type: string): ResolvedWorker | undefined;
  /** The task types with a worker, told to the planner; includes `"default"` when there is a default worker. */
  taskTypes: string[];
}

/** What {@link resolveRoles} takes. */
export interface RoleOptions {
  orchestrator: OrchestratorRole;
  worker: WorkerRole | WorkerMap;
  aggregator?: AggregatorRole<any>;
}

/** Resolves role shorthands and validates them, naming the option that is wrong. */
export function resolveRoles(options: RoleOptions): ResolvedRoles {
  const planner = resolvePlanner(options.orchestrator);
  const aggregator = resolveAggregator(options.aggregator, options.orchestrator);
  const workers = resolveWorkers(options.worker);
  return {
    planner,
    aggregator,
    workerFor: (type) => workers.get(type) ?? workers.get("default"),
    taskTypes: [...workers.keys()],
  };
}

function resolvePlanner(value: unknown): Planner {
  rejectString("orchestrator", value);
  if (isLanguageModel(value)) return modelPlanner(value);
  if (isObjectWith(value, "plan")) return value as Planner;
  throw invalidArgument("orchestrator", "a LanguageModel instance or an object with a plan() method", value);
}

function resolveAggregator(value: unknown, orchestrator: unknown): Aggregator {
  if (value === undefined) {
    if (isLanguageModel(orchestrator)) return modelAggregator(orchestrator);
    throw new OrchestrateError({
      code: "INVALID_ARGUMENT",
      option: "aggregator",
      message:
        'Invalid option "aggregator": it is required when "orchestrator" is not a LanguageModel (it defaults to the orchestrator\'s model), received undefined.',
    });
  }
  rejectString("aggregator", value);
  if (isLanguageModel(value)) return modelAggregator(value);
  if (isObjectWith(value, "aggregate")) return value as Aggregator;
  throw invalidArgument(
    "aggregator",
    "a LanguageModel instance or an object with an aggregate() method",
    value,
  );
}

function resolveWorkers(value: unknown): Map<string, ResolvedWorker> {
  const workers = new Map<string, ResolvedWorker>();
  const single = resolveWorker("worker", value, "default");
  if (single) {
    workers.set("default", single);
    return workers;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidArgument(
      "worker",
      "a LanguageModel instance, a worker (an object with run() or a function), or a map of them by task type",
      value,
    );
  }
  for (const [type, role] of Object.entries(value)) {
    if (role === undefined) continue;
    const resolved = resolveWorker(`worker.${type}`, role, type);
    if (!resolved) {
      throw invalidArgument(
        `worker.${type}`,
        "a LanguageModel instance, an object with run(), or a function",
        role,
      );
    }
    workers.set(type, resolved);
  }
  if (workers.size === 0) throw invalidArgument("worker", "at least one worker in the map", value);
  return workers;
}

function resolveWorker(option: string, value: unknown, type: string): ResolvedWorker | undefined {
  rejectString(option, value);
  if (isLanguageModel(value)) {
    const worker = modelWorker(value);
    return { run: worker.run.bind(worker), limiterKey: worker.limiterKey ?? type };
  }
  if (typeof value === "function") {
    const run = value as WorkerFunction;
    return {
      // Not an async wrapper: one `then` per call instead of an async frame and its awaits.
      run: (input, context) => {
        try {
          return Promise.resolve(run(input, context)).then(toWorkerResult);
        } catch (error) {
          return Promise.reject(error);
        }
      },
      limiterKey: type,
    };
  }
  if (isObjectWith(value, "run")) {
    const worker = value as Worker;
    return { run: worker.run.bind(worker), limiterKey: worker.limiterKey ?? type };
  }
  return undefined;
}

function toWorkerResult(output: unknown): WorkerResult {
  return { output };
}

function rejectString(option: string, value: unknown): void {
  if (typeof value !== "string") return;
  throw new OrchestrateError({
    code: "INVALID_ARGUMENT",
    option,
    message: `Invalid option "${option}": expected a LanguageModel instance, received ${describeValue(value)}. Model id strings are not accepted because they route to a network gateway; pass a provider model such as openai(${JSON.stringify(value)}).`,
  });
}

function isObjectWith(value: unknown, method: string): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<string, unknown>)[method] === "function"
  );
}
