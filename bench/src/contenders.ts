import {
  createOrchestrator,
  memoryStore,
  modelAggregator,
  modelPlanner,
  modelWorker,
  type Orchestrator,
  orchestrate,
} from "@orchestrator-workers/core";
import { baselineRun, Semaphore } from "./baseline.js";
import type { BenchModels } from "./mock-models.js";

/**
 * Who is measured: the hand-written baseline, ours with default roles, ours with non-streaming roles; and, to
 * isolate the engine from the AI SDK, ours and a plain `Promise.all` with the same plain-function roles.
 */
export type ContenderName = "baseline" | "ours" | "ours-generate" | "engine" | "plain";

/** What one benchmark run is asked to do. */
export interface RunSettings {
  /** Max worker calls in flight per run (`Infinity` for unlimited). */
  concurrency: number;
}

/** Runs one orchestrator-workers job on the given models and checks that it completed. */
export type Contender = (models: BenchModels, settings: RunSettings) => Promise<void>;

/** The prompt every benchmark run answers. */
export const benchPrompt = "Write a short report on the subject, one part per subtask.";

/** Short labels for tables. */
export const contenderLabels: Record<ContenderName, string> = {
  baseline: "baseline (AI SDK by hand)",
  ours: "ours, default roles (streaming planner)",
  "ours-generate": "ours, same AI SDK calls as the baseline",
  engine: "engine only: ours, function roles",
  plain: "plain Promise.all, function roles",
};

/** What each contender's own cost is measured against. */
export const referenceOf: Record<ContenderName, ContenderName> = {
  baseline: "baseline",
  ours: "baseline",
  "ours-generate": "baseline",
  engine: "plain",
  plain: "plain",
};

/** The hand-written baseline. */
export const baseline: Contender = async (models, settings) => {
  const result = await baselineRun({
    prompt: benchPrompt,
    planner: models.planner,
    worker: models.worker,
    aggregator: models.aggregator,
    concurrency: settings.concurrency,
    maxSubtasks: models.plan.length,
  });
  if (result.tasks !== models.plan.length || result.output === "")
    throw new Error("The baseline run failed.");
};

/**
 * `orchestrate()` with the mock models as bare LanguageModels, so the built-in model roles with their
 * defaults (streaming planner, streaming workers and aggregator), and the default memory store (a fresh one
 * per call, as `orchestrate()` does).
 */
export const ours: Contender = async (models, settings) => {
  const result = await orchestrate({
    prompt: benchPrompt,
    orchestrator: models.planner,
    worker: models.worker,
    aggregator: models.aggregator,
    concurrency: settings.concurrency,
    maxSubtasks: models.plan.length,
  });
  checkOurs(result, models);
};

/**
 * `orchestrate()` with the model roles told `stream: false`, so they call `generateText` as the baseline
 * does: the difference to the baseline is then the engine alone, not the cost of `streamText`.
 */
export const oursGenerate: Contender = async (models, settings) => {
  const result = await orchestrate({
    prompt: benchPrompt,
    orchestrator: modelPlanner(models.planner, { stream: false }),
    worker: modelWorker(models.worker, { stream: false }),
    aggregator: modelAggregator(models.aggregator, { stream: false }),
    concurrency: settings.concurrency,
    maxSubtasks: models.plan.length,
  });
  checkOurs(result, models);
};

const workerFunction = async () => "This part of the answer is done.";

/**
 * `orchestrate()` with plain-function roles and no model at all: the planner returns the plan's tasks, the
 * worker a string, the aggregator a count. What is left is the engine: validation, scheduling, the event log and
 * the memory store.
 */
export const engine: Contender = async (models, settings) => {
  const result = await orchestrate({
    prompt: benchPrompt,
    orchestrator: { plan: () => ({ tasks: models.plan }) },
    worker: workerFunction,
    aggregator: { aggregate: async (input) => ({ output: `${input.results.length} parts` }) },
    concurrency: settings.concurrency,
    maxSubtasks: models.plan.length,
  });
  checkOurs(result, models);
};

/** The same plain functions wired by hand: `Promise.all` under the baseline's semaphore. */
export const plain: Contender = async (models, settings) => {
  const semaphore = new Semaphore(settings.concurrency);
  const outputs = new Map<string, Promise<string>>();
  for (const task of models.plan) {
    const dependencies = task.dependsOn.map((id) => outputs.get(id)!);
    outputs.set(
      task.id,
      dependencies.length === 0
        ? semaphore.run(workerFunction)
        : Promise.all(dependencies).then(() => semaphore.run(workerFunction)),
    );
  }
  const results = await Promise.all(outputs.values());
  if (results.length !== models.plan.length) throw new Error("The plain run failed.");
};

/** Every contender by name. */
export const contenders: Record<ContenderName, Contender> = {
  baseline,
  ours,
  "ours-generate": oursGenerate,
  engine,
  plain,
};

/**
 * One long-lived orchestrator over one memory store, for scenarios that keep many runs in flight at once (as a
 * server does). `streaming: false` gives the roles `stream: false`.
 */
export function sharedOrchestrator(models: BenchModels, streaming: boolean): Orchestrator<string> {
  return createOrchestrator<string>({
    orchestrator: streaming ? models.planner : modelPlanner(models.planner, { stream: false }),
    worker: streaming ? models.worker : modelWorker(models.worker, { stream: false }),
    aggregator: streaming ? models.aggregator : modelAggregator(models.aggregator, { stream: false }),
    store: memoryStore(),
  });
}

/** Throws unless the run completed every subtask of the plan. */
export function checkOurs(
  result: { status: string; tasks: Array<{ status: string }>; error?: { message: string } },
  models: BenchModels,
): void {
  const completed = result.tasks.filter((task) => task.status === "completed").length;
  if (result.status !== "completed" || completed !== models.plan.length) {
    throw new Error(
      `Our run ended ${result.status} with ${completed}/${models.plan.length} subtasks completed${result.error ? `: ${result.error.message}` : ""}.`,
    );
  }
}
