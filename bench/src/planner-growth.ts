import { modelPlanner, type PlanInput, type RoleContext } from "@orchestrator-workers/core";
import { mockModel, planTasks, planText } from "./mock-models.js";
import { collectGarbage, logLogSlope, median } from "./stats.js";

/** Options for {@link measurePlannerGrowth}. */
export interface PlannerGrowthOptions {
  /** Plan sizes; the exponent is fitted over them. */
  sizes: number[];
  /** Characters per streamed chunk: 16 is about 4 tokens, close to how a real model streams. */
  chunkSize: number;
  repetitions: number;
}

/** The model planner alone, streaming or not, at every size. */
export interface PlannerGrowthMeasurement {
  planner: "streaming" | "stream: false";
  /** Median CPU milliseconds to read a whole plan, by size. */
  medianCpuMs: number[];
  exponent: number;
}

/**
 * How the built-in model planner's cost grows with the plan size when the model streams its JSON in small
 * chunks, as a real model does (the run scenarios send the plan in one chunk, which hides this). The same plan
 * through `stream: false` (one `generateText`) is the reference. CPU time of reading the whole plan, L = 0.
 */
export async function measurePlannerGrowth(
  options: PlannerGrowthOptions,
): Promise<PlannerGrowthMeasurement[]> {
  const planners = ["streaming", "stream: false"] as const;
  const cpu = new Map<(typeof planners)[number], number[]>(planners.map((planner) => [planner, []]));
  for (const [index, size] of options.sizes.entries()) {
    const text = planText(planTasks(size));
    const chunks: string[] = [];
    for (let index = 0; index < text.length; index += options.chunkSize) {
      chunks.push(text.slice(index, index + options.chunkSize));
    }
    const model = mockModel({ modelId: "planner", text, latencyMs: 0, chunks });
    const input: PlanInput = {
      prompt: "Plan the report.",
      maxSubtasks: size,
      taskTypes: ["default"],
      attempt: 1,
    };
    for (const planner of planners) {
      const role = modelPlanner(model, { stream: planner === "streaming" });
      if (index === 0) await countTasks(role.plan(input, roleContext()));
      const samples: number[] = [];
      for (let repetition = 0; repetition < options.repetitions; repetition++) {
        collectGarbage();
        const start = process.cpuUsage();
        const count = await countTasks(role.plan(input, roleContext()));
        const used = process.cpuUsage(start);
        if (count !== size) throw new Error(`The ${planner} planner produced ${count} of ${size} tasks.`);
        samples.push((used.user + used.system) / 1000);
      }
      cpu.get(planner)!.push(median(samples));
    }
  }
  return planners.map((planner) => ({
    planner,
    medianCpuMs: cpu.get(planner)!,
    exponent: logLogSlope(options.sizes, cpu.get(planner)!),
  }));
}

async function countTasks(plan: ReturnType<ReturnType<typeof modelPlanner>["plan"]>): Promise<number> {
  if (typeof plan === "object" && plan !== null && Symbol.asyncIterator in plan) {
    let count = 0;
    for await (const _task of plan) count++;
    return count;
  }
  return (await plan).tasks.length;
}

function roleContext(): RoleContext {
  return {
    runId: "bench",
    signal: new AbortController().signal,
    deltasWanted: false,
    emitDelta: () => {},
    reportUsage: () => {},
  };
}
