import { appendFileSync, readFileSync } from "node:fs";
import {
  createOrchestrator,
  type Orchestrator,
  type PlannedTask,
  type RunStore,
  sleep,
  type Worker,
} from "@orchestrator-workers/core";
import { scriptedAggregator, scriptedPlanner } from "@orchestrator-workers/core/testing";

/**
 * The recovery workload: 8 subtasks on 2 dependency levels. `a1`…`a5` are independent; `b1`…`b3` each depend on
 * two of them, so a kill lands while some tasks are done, some running and some not started.
 */
export const recoveryPlan: Array<Exclude<PlannedTask, string>> = [
  ...[1, 2, 3, 4, 5].map((index) => ({ id: `a${index}`, details: `Part ${index} of the first level.` })),
  { id: "b1", details: "Combine a1 and a2.", dependsOn: ["a1", "a2"] },
  { id: "b2", details: "Combine a3 and a4.", dependsOn: ["a3", "a4"] },
  { id: "b3", details: "Combine a5 and a1.", dependsOn: ["a5", "a1"] },
];

/** The ids of {@link recoveryPlan}, in plan order. */
export const recoveryTaskIds = recoveryPlan.map((task) => task.id);

/** How the workload runs. */
export interface RecoveryWorkloadOptions {
  /** An append-only file outside every process: each worker execution writes `start <id>` and `end <id>`. */
  counterFile: string;
  /** How long each worker execution takes, in milliseconds. */
  workerMs: number;
  /** Workers in flight per run. */
  concurrency: number;
  /** The orchestrator's lease on each run it executes, in milliseconds. */
  leaseMs: number;
}

/**
 * An orchestrator over `store` running the workload: a scripted planner answering {@link recoveryPlan}, a worker
 * that records every execution in the counter file and sleeps, and a scripted aggregator.
 */
export function recoveryOrchestrator(store: RunStore, options: RecoveryWorkloadOptions): Orchestrator {
  return createOrchestrator({
    orchestrator: scriptedPlanner(recoveryPlan),
    worker: countingWorker(options.counterFile, options.workerMs),
    aggregator: scriptedAggregator(),
    store,
    leaseMs: options.leaseMs,
    defaults: { concurrency: options.concurrency },
  });
}

/** A worker that appends `start <taskId>` to the counter file, sleeps `workerMs`, then appends `end <taskId>`. */
function countingWorker(counterFile: string, workerMs: number): Worker<string> {
  return {
    async run(input) {
      // One small O_APPEND write per line: lines of concurrent processes never interleave.
      appendFileSync(counterFile, `start ${input.task.id} ${process.pid}\n`);
      await sleep(workerMs, input.signal);
      appendFileSync(counterFile, `end ${input.task.id} ${process.pid}\n`);
      return {
        output: `done: ${input.task.id}`,
        usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
      };
    },
  };
}

/** How many times each task's worker started and ended, per the counter file. */
export interface ExecutionCounts {
  starts: Map<string, number>;
  ends: Map<string, number>;
}

/** Reads the counter file (missing: nothing ran yet). */
export function readExecutionCounts(counterFile: string): ExecutionCounts {
  const counts: ExecutionCounts = { starts: new Map(), ends: new Map() };
  let text = "";
  try {
    text = readFileSync(counterFile, "utf8");
  } catch {
    return counts;
  }
  for (const line of text.split("\n")) {
    const [kind, taskId] = line.split(" ");
    if (taskId === undefined) continue;
    const map = kind === "start" ? counts.starts : counts.ends;
    map.set(taskId, (map.get(taskId) ?? 0) + 1);
  }
  return counts;
}
