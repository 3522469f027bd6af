import type { Aggregator } from "../roles/aggregator.js";
import type { PlannedTask, Planner } from "../roles/planner.js";
import type { WorkerFunction, WorkerInput } from "../roles/worker.js";
import { sleep } from "../run/sleep.js";

/** Test helpers: plain roles, the way users write them. */

/** A planner returning a fixed plan. */
export function fixedPlanner(tasks: PlannedTask[], analysis?: string): Planner {
  return { plan: () => ({ tasks, ...(analysis === undefined ? {} : { analysis }) }) };
}

/** A streaming planner yielding tasks with a delay between them. */
export function streamingPlanner(tasks: PlannedTask[], delayMs: number): Planner {
  return {
    async *plan(_input, context) {
      for (const task of tasks) {
        await wait(delayMs, context.signal);
        yield task;
      }
      return { analysis: "streamed", usage: { inputTokens: 5, outputTokens: 5 } };
    },
  };
}

/** An aggregator joining outputs with "|". */
export const joinAggregator: Aggregator<string> = {
  async aggregate(input) {
    return {
      output: input.results.map((result) => String(result.output)).join("|"),
      usage: { inputTokens: 1, outputTokens: 1 },
    };
  },
};

/** A worker that records concurrency and order, sleeping `latencyMs` (or per task). */
export function countingWorker(latencyMs: number | ((input: WorkerInput) => number)) {
  const stats = { inFlight: 0, peak: 0, started: [] as string[], ended: [] as string[], calls: 0 };
  const worker: WorkerFunction<string> = async (input, context) => {
    stats.calls++;
    stats.inFlight++;
    stats.peak = Math.max(stats.peak, stats.inFlight);
    stats.started.push(input.task.id);
    try {
      await wait(typeof latencyMs === "number" ? latencyMs : latencyMs(input), context.signal);
      stats.ended.push(input.task.id);
      context.reportUsage({ inputTokens: 10, outputTokens: 5 });
      return `${input.task.id}(${input.dependencies.map((dependency) => dependency.output).join(",")})`;
    } finally {
      stats.inFlight--;
    }
  };
  return { worker, stats };
}

/** A worker that never settles and ignores its signal. */
export const stuckWorker: WorkerFunction = () => new Promise(() => {});

/** Waits `ms`, rejecting with the signal's reason on abort. */
export const wait = sleep;
