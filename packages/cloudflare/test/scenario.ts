import { type Aggregator, OrchestrateError, type Planner, type Worker } from "@orchestrator-workers/core";

/**
 * What a test run does, written as JSON in its prompt so that the Workflow (which may run in another isolate)
 * needs no shared memory: the plan, and how each task's worker behaves.
 */
export interface Scenario {
  /** The plan. @default a, b, and c depending on a */
  tasks?: Array<{ id: string; dependsOn?: string[] }>;
  /** Task id → how many first attempts fail with a retryable error. */
  failAttempts?: Record<string, number>;
  /** Tasks whose every attempt fails with a retryable error. */
  alwaysFail?: string[];
  /** Tasks that fail with a non-retryable HTTP 400 model error. */
  badRequest?: string[];
  /** Task id → milliseconds its worker takes. */
  delayMs?: Record<string, number>;
  /** Task id → characters of output (for results over the inline step limit). */
  outputChars?: Record<string, number>;
}

/** Reads the scenario from a prompt; a prompt that is not a JSON object gets the default plan. */
export function readScenario(prompt: string): Scenario {
  try {
    const parsed: unknown = JSON.parse(prompt);
    return typeof parsed === "object" && parsed !== null ? (parsed as Scenario) : {};
  } catch {
    return {};
  }
}

const defaultTasks = [{ id: "a" }, { id: "b" }, { id: "c", dependsOn: ["a"] }];

/** The scenario's plan. */
export const scenarioPlanner: Planner = {
  plan: (input) => ({
    analysis: "scripted",
    tasks: (readScenario(input.prompt).tasks ?? defaultTasks).map((task) => ({
      id: task.id,
      type: "default",
      title: `Task ${task.id}`,
      details: `Do ${task.id}.`,
      dependsOn: task.dependsOn ?? [],
    })),
    usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
  }),
};

/**
 * The scenario's worker. Every call is recorded in `test_worker_calls` (run, task, attempt) so that tests can
 * count what was paid for.
 */
export function scenarioWorker(db: D1Database): Worker {
  return {
    async run(input, context) {
      await db
        .prepare("CREATE TABLE IF NOT EXISTS test_worker_calls (run_id TEXT, task_id TEXT, attempt INTEGER)")
        .run();
      await db
        .prepare("INSERT INTO test_worker_calls VALUES (?1, ?2, ?3)")
        .bind(context.runId, input.task.id, input.attempt ?? 1)
        .run();
      const scenario = readScenario(input.prompt);
      const id = input.task.id;
      const delay = scenario.delayMs?.[id];
      if (delay)
        await new Promise((resolve, reject) => {
          const timer = setTimeout(resolve, delay);
          input.signal.addEventListener(
            "abort",
            () => {
              clearTimeout(timer);
              reject(input.signal.reason);
            },
            { once: true },
          );
        });
      if (scenario.badRequest?.includes(id)) {
        throw new OrchestrateError({
          code: "MODEL_ERROR",
          statusCode: 400,
          isRetryable: false,
          message: `bad request for ${id}`,
        });
      }
      if (scenario.alwaysFail?.includes(id) || (input.attempt ?? 1) <= (scenario.failAttempts?.[id] ?? 0)) {
        throw new Error(`scripted failure of ${id} on attempt ${input.attempt ?? 1}`);
      }
      const size = scenario.outputChars?.[id];
      const dependencies = input.dependencies.map((dependency) => dependency.output).join("+");
      const output = size
        ? `${id}:`.padEnd(size, "x")
        : `${id} done${dependencies ? ` after ${dependencies}` : ""}`;
      return { output, usage: { inputTokens: 2, outputTokens: 3, totalTokens: 5 } };
    },
  };
}

/** Joins the results, naming failures. */
export const scenarioAggregator: Aggregator = {
  aggregate: async (input) => ({
    output: [
      ...input.results.map((result) => `${result.task.id}=${String(result.output).slice(0, 40)}`),
      ...input.failures.map((failure) => `${failure.task.id}:${failure.status}`),
    ].join(", "),
    usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
  }),
};
