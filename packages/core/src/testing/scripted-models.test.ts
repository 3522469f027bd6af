import { describe, expect, it } from "vitest";
import { modelAggregator } from "../roles/model-aggregator.js";
import { modelPlanner } from "../roles/model-planner.js";
import { modelWorker } from "../roles/model-worker.js";
import type { PlanInput, PlannedTask, PlanSummary } from "../roles/planner.js";
import type { Subtask } from "../types/subtask.js";
import { scriptedModels } from "./scripted-models.js";
import { testRoleContext } from "./test-role-context.js";

const prompt = "Plan a weekend trip to Lisbon on a budget.";

async function plan(input: Partial<PlanInput> = {}) {
  const { orchestrator } = scriptedModels();
  const generator = modelPlanner(orchestrator).plan(
    { prompt, maxSubtasks: 10, taskTypes: ["default"], attempt: 1, ...input },
    testRoleContext(),
  ) as AsyncGenerator<PlannedTask, PlanSummary>;
  const tasks: Subtask[] = [];
  for (;;) {
    const next = await generator.next();
    if (next.done) return { tasks, analysis: next.value.analysis };
    tasks.push(next.value as Subtask);
  }
}

describe("scriptedModels", () => {
  it("plans 3 to 5 subtasks for any prompt, with the last one depending on the first", async () => {
    const { tasks, analysis } = await plan();
    expect(tasks.length).toBeGreaterThanOrEqual(3);
    expect(tasks.length).toBeLessThanOrEqual(5);
    expect(tasks.map((task) => task.id)).toEqual(tasks.map((_task, index) => `t${index + 1}`));
    expect(tasks.at(-1)?.dependsOn).toEqual(["t1"]);
    expect(tasks.slice(0, -1).every((task) => task.dependsOn.length === 0)).toBe(true);
    expect(tasks[0]?.details).toContain("Plan a weekend trip to Lisbon on a budget");
    expect(analysis).toMatch(/^\[scripted\] /);
  });

  it("plans the same way for the same prompt, and differently for others", async () => {
    expect(await plan()).toEqual(await plan());
    const counts = new Set<number>();
    for (const other of ["a", "b", "c", "d", "e", "f", "g", "h"])
      counts.add((await plan({ prompt: other })).tasks.length);
    expect(counts.size).toBeGreaterThan(1);
  });

  it("respects the cap and the allowed task types it is told", async () => {
    const capped = await plan({ maxSubtasks: 2, taskTypes: ["research", "writing"] });
    expect(capped.tasks.map((task) => [task.type, task.dependsOn])).toEqual([
      ["research", []],
      ["writing", ["t1"]],
    ]);
    const single = await plan({ maxSubtasks: 1 });
    expect(single.tasks).toHaveLength(1);
    expect(single.tasks[0]?.dependsOn).toEqual([]);
  });

  it("answers workers with labelled, plausible text that mentions their dependencies", async () => {
    const { worker } = scriptedModels({ chunkSize: 8 });
    const { tasks } = await plan();
    const last = tasks.at(-1)!;
    const context = testRoleContext();
    const result = await modelWorker(worker).run(
      {
        prompt,
        task: last,
        dependencies: [{ task: tasks[0]!, output: "framed" }],
        signal: context.signal,
        attempt: 1,
      },
      context,
    );
    expect(result.output).toMatch(
      /^\[scripted\] Draft the core answer for "Plan a weekend trip to Lisbon on a budget":\n- /,
    );
    expect(result.output).toContain("(Builds on t1.)");
    expect(context.deltas.length).toBeGreaterThan(1);
    expect(context.deltas.join("")).toBe(result.output);
    expect(result.usage?.totalTokens).toBeGreaterThan(0);
  });

  it("aggregates the results and names what is missing", async () => {
    const { orchestrator } = scriptedModels();
    const { tasks } = await plan({ maxSubtasks: 3 });
    const [first, second, third] = tasks as [Subtask, Subtask, Subtask];
    const context = testRoleContext();
    const result = await modelAggregator(orchestrator).aggregate(
      {
        prompt,
        plan: { tasks },
        results: [
          { task: first, output: "[scripted] x:\n- Point one." },
          { task: second, output: "Plain output." },
        ],
        failures: [
          {
            task: third,
            status: "skipped",
            error: { code: "TASK_FAILED", message: "Dependency t1 failed." },
          },
        ],
        signal: context.signal,
      },
      context,
    );
    expect(result.output).toContain('[scripted] Answer to "Plan a weekend trip to Lisbon on a budget"');
    expect(result.output).toContain(`1. ${first.title}: Point one.`);
    expect(result.output).toContain(`2. ${second.title}: Plain output.`);
    expect(result.output).toContain(`- ${third.title} (skipped: Dependency t1 failed.)`);
  });

  it("varies worker latency around latencyMs", async () => {
    const { worker } = scriptedModels({ latencyMs: 50 });
    const { tasks } = await plan();
    const durations: number[] = [];
    for (const task of tasks) {
      const context = testRoleContext();
      const started = Date.now();
      await modelWorker(worker).run(
        { prompt, task, dependencies: [], signal: context.signal, attempt: 1 },
        context,
      );
      durations.push(Date.now() - started);
    }
    for (const duration of durations) {
      expect(duration).toBeGreaterThanOrEqual(25);
      expect(duration).toBeLessThan(200);
    }
  });
});
