import { describe, expect, it } from "vitest";
import type { PlanInput, PlannedTask, PlanResult, PlanSummary } from "../roles/planner.js";
import type { WorkerInput } from "../roles/worker.js";
import type { Subtask } from "../types/subtask.js";
import { scriptedAggregator, scriptedPlanner, scriptedWorker } from "./scripted-roles.js";
import { testRoleContext } from "./test-role-context.js";

const input: PlanInput = { prompt: "Write about owls", maxSubtasks: 5, taskTypes: ["default"], attempt: 1 };
const facts: Subtask = {
  id: "t1",
  type: "default",
  title: "Find facts",
  details: "Find facts.",
  dependsOn: [],
};
const write: Subtask = { id: "t2", type: "default", title: "Write", details: "Write it.", dependsOn: ["t1"] };

function workerInput(task: Subtask, signal: AbortSignal): WorkerInput {
  return { prompt: "Write about owls", task, dependencies: [], signal, attempt: 1 };
}

describe("scriptedPlanner", () => {
  it("returns a fixed plan, or a task list as a plan", async () => {
    const plan = { analysis: "Two steps.", tasks: [facts, write] };
    expect(await scriptedPlanner(plan).plan(input, testRoleContext())).toEqual(plan);
    expect(await scriptedPlanner(["Find facts", "Write"]).plan(input, testRoleContext())).toEqual({
      tasks: ["Find facts", "Write"],
    });
  });

  it("computes the plan from the input, so a retry can be scripted", async () => {
    const planner = scriptedPlanner((planInput) => (planInput.attempt === 1 ? [facts] : [facts, write]));
    expect(((await planner.plan(input, testRoleContext())) as PlanResult).tasks).toEqual([facts]);
    expect(
      ((await planner.plan({ ...input, attempt: 2 }, testRoleContext())) as PlanResult).tasks,
    ).toHaveLength(2);
  });

  it("streams tasks one by one with perTaskDelayMs between them", async () => {
    const planner = scriptedPlanner(
      { analysis: "Two steps.", tasks: [facts, write], usage: { inputTokens: 3 } },
      {
        stream: true,
        perTaskDelayMs: 40,
      },
    );
    const generator = planner.plan(input, testRoleContext()) as AsyncGenerator<PlannedTask, PlanSummary>;
    const started = Date.now();
    expect((await generator.next()).value).toEqual(facts);
    const firstAt = Date.now() - started;
    expect((await generator.next()).value).toEqual(write);
    expect(Date.now() - started - firstAt).toBeGreaterThanOrEqual(35);
    expect(await generator.next()).toEqual({
      done: true,
      value: { analysis: "Two steps.", usage: { inputTokens: 3 } },
    });
  });

  it("rejects promptly with the signal's reason", async () => {
    const context = testRoleContext();
    const reason = new Error("cancelled");
    const pending = scriptedPlanner([facts], { delayMs: 10_000 }).plan(input, context) as Promise<PlanResult>;
    context.controller.abort(reason);
    await expect(pending).rejects.toBe(reason);

    const streaming = testRoleContext();
    const generator = scriptedPlanner([facts, write], { stream: true, perTaskDelayMs: 10_000 }).plan(
      input,
      streaming,
    ) as AsyncGenerator<PlannedTask, PlanSummary>;
    await generator.next();
    const next = generator.next();
    streaming.controller.abort(reason);
    await expect(next).rejects.toBe(reason);
  });
});

describe("scriptedWorker", () => {
  it("outputs [scripted] <title> by default and emits it as a delta", async () => {
    const context = testRoleContext();
    expect(await scriptedWorker().run(workerInput(facts, context.signal), context)).toEqual({
      output: "[scripted] Find facts",
    });
    expect(context.deltas).toEqual(["[scripted] Find facts"]);
  });

  it("looks outputs up by task id, fails on an Error, and returns the usage", async () => {
    const worker = scriptedWorker(
      { t1: { facts: 3 }, t2: new Error("worker broke") },
      { usage: { outputTokens: 4 } },
    );
    const context = testRoleContext();
    expect(await worker.run(workerInput(facts, context.signal), context)).toEqual({
      output: { facts: 3 },
      usage: { outputTokens: 4 },
    });
    await expect(worker.run(workerInput(write, context.signal), context)).rejects.toThrow("worker broke");
  });

  it("computes outputs with a function", async () => {
    const worker = scriptedWorker((workerInput) => workerInput.task.details.toUpperCase());
    const context = testRoleContext();
    expect((await worker.run(workerInput(write, context.signal), context)).output).toBe("WRITE IT.");
  });

  it("rejects promptly with the signal's reason, during latency or a slow function", async () => {
    const reason = new Error("timed out");
    for (const worker of [
      scriptedWorker(undefined, { latencyMs: 10_000 }),
      scriptedWorker(() => new Promise<string>(() => {})),
    ]) {
      const context = testRoleContext();
      const pending = worker.run(workerInput(facts, context.signal), context);
      setTimeout(() => context.controller.abort(reason), 5);
      await expect(pending).rejects.toBe(reason);
    }
  });
});

describe("scriptedAggregator", () => {
  const aggregateInput = (signal: AbortSignal) => ({
    prompt: "Write about owls",
    plan: { tasks: [facts, write] },
    results: [{ task: facts, output: "Owls are birds." }],
    failures: [
      {
        task: write,
        status: "skipped" as const,
        error: { code: "TASK_FAILED" as const, message: "t1 failed" },
      },
    ],
    signal,
  });

  it("lists results and failures by default", async () => {
    const context = testRoleContext();
    const result = await scriptedAggregator().aggregate(aggregateInput(context.signal), context);
    expect(result.output).toBe("Find facts: Owls are birds.\nMissing Write (skipped): t1 failed");
    expect(context.deltas).toEqual([result.output]);
  });

  it("returns a fixed output or computes one", async () => {
    const context = testRoleContext();
    expect(
      (await scriptedAggregator({ summary: "fixed" }).aggregate(aggregateInput(context.signal), context))
        .output,
    ).toEqual({ summary: "fixed" });
    const counting = scriptedAggregator((input) => input.results.length, { usage: { totalTokens: 9 } });
    expect(await counting.aggregate(aggregateInput(context.signal), context)).toEqual({
      output: 1,
      usage: { totalTokens: 9 },
    });
  });

  it("rejects promptly with the signal's reason", async () => {
    const context = testRoleContext();
    const reason = new Error("cancelled");
    const pending = scriptedAggregator(undefined, { latencyMs: 10_000 }).aggregate(
      aggregateInput(context.signal),
      context,
    );
    context.controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});
