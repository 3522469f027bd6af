import { introspectWorkflow, introspectWorkflowInstance } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  newRunId,
  storedEvents,
  storedView,
  testEnv,
  testStore,
  workerCalls,
} from "../../test/test-helpers.js";

/** Creates an instance of the test Workflow for a scenario and waits until it reaches `status`. */
async function runScenario(scenario: object | string, status: "complete" | "errored" = "complete") {
  const id = newRunId();
  const instance = await introspectWorkflowInstance(testEnv.ORCHESTRATOR, id);
  const prompt = typeof scenario === "string" ? scenario : JSON.stringify(scenario);
  const started = Date.now();
  await testEnv.ORCHESTRATOR.create({ id, params: { prompt } });
  await instance.waitForStatus(status);
  return { id, instance, elapsedMs: Date.now() - started };
}

describe("createOrchestratorWorkflow", () => {
  it("runs a whole run as durable steps: plan, one step per subtask, aggregate", async () => {
    const { id, instance } = await runScenario("Plan a trip");
    try {
      expect(await instance.getOutput()).toEqual({ id, status: "completed" });
      expect(await instance.waitForStepResult({ name: "plan" })).toMatchObject({
        inline: { tasks: expect.any(Array) },
      });
      expect(await instance.waitForStepResult({ name: "task:a" })).toEqual({
        inline: { output: "a done", usage: { inputTokens: 2, outputTokens: 3, totalTokens: 5 } },
      });
      expect(await instance.waitForStepResult({ name: "task:c" })).toMatchObject({
        inline: { output: "c done after a done" },
      });
      expect(await instance.waitForStepResult({ name: "aggregate" })).toMatchObject({
        inline: { output: expect.any(String) },
      });
    } finally {
      await instance.dispose();
    }
    const view = await storedView(id);
    expect(view).toMatchObject({ id, status: "completed", phase: "done", prompt: "Plan a trip" });
    expect(view.output).toBe("a=a done, b=b done, c=c done after a done");
    expect(view.tasks.map((task) => [task.id, task.status, task.attempts])).toEqual([
      ["a", "completed", 1],
      ["b", "completed", 1],
      ["c", "completed", 1],
    ]);
    expect(view.usage.totalTokens).toBe(15 + 3 * 5 + 2);
    expect(await workerCalls(id)).toEqual({ a: [1], b: [1], c: [1] });
    const types = (await storedEvents(id)).map((event) => event.type);
    expect([types[0], types.at(-1)]).toEqual(["run-start", "run-end"]);
    // Step results are only needed while the run executes.
    expect(await testStore.stepResults.load(id, "task:a")).toBeUndefined();
  });

  it("retries a failing subtask as a new step, task:<id>#2, which succeeds", async () => {
    const { id, instance } = await runScenario({ failAttempts: { b: 1 } });
    try {
      expect(await instance.waitForStepResult({ name: "task:b#2" })).toMatchObject({
        inline: { output: "b done" },
      });
      // The first attempt's step failed (the introspector does not pass its message on).
      await expect(instance.waitForStepResult({ name: "task:b" })).rejects.toThrow();
    } finally {
      await instance.dispose();
    }
    const view = await storedView(id);
    expect(view.status).toBe("completed");
    expect(view.tasks.find((task) => task.id === "b")).toMatchObject({ status: "completed", attempts: 2 });
    const retries = (await storedEvents(id)).filter((event) => event.type === "task-retry");
    expect(retries).toMatchObject([{ taskId: "b", attempt: 1, error: { code: "TASK_FAILED" } }]);
    expect(await workerCalls(id)).toEqual({ a: [1], b: [1, 2], c: [1] });
  });

  it("retries a step that Workflows itself fails (mockStepError) with the engine's policy", async () => {
    await using introspector = await introspectWorkflow(testEnv.ORCHESTRATOR);
    await introspector.modifyAll(async (modifier) => {
      await modifier.mockStepError({ name: "task:a" }, new Error("injected step failure"));
    });
    const id = newRunId();
    await testEnv.ORCHESTRATOR.create({ id, params: { prompt: "Injected failure" } });
    const [instance] = await introspector.get();
    await instance!.waitForStatus("complete");
    const view = await storedView(id);
    expect(view.status).toBe("completed");
    expect(view.tasks.find((task) => task.id === "a")).toMatchObject({ status: "completed", attempts: 2 });
    // The mocked attempt never reached the worker: only the retry did.
    expect((await workerCalls(id)).a).toEqual([2]);
  });

  it("gives up on a subtask that keeps failing after the retry budget, and settles the run", async () => {
    const { id } = await runScenario({ alwaysFail: ["b"] });
    const view = await storedView(id);
    expect(view.status).toBe("completed");
    expect(view.tasks.find((task) => task.id === "b")).toMatchObject({ status: "failed", attempts: 3 });
    expect(view.output).toBe("a=a done, c=c done after a done, b:failed");
    expect((await workerCalls(id)).b).toEqual([1, 2, 3]);
  });

  it("fails the run when every subtask keeps failing", async () => {
    const { id, instance } = await runScenario({ tasks: [{ id: "only" }], alwaysFail: ["only"] });
    expect(await instance.getOutput()).toMatchObject({
      id,
      status: "failed",
      error: { code: "TASK_FAILED" },
    });
    await instance.dispose();
    expect((await storedView(id)).status).toBe("failed");
  });

  it("keeps the worker's error classification across the step: a 400 is not retried", async () => {
    const { id } = await runScenario({ badRequest: ["b"] });
    const view = await storedView(id);
    expect(view.tasks.find((task) => task.id === "b")).toMatchObject({
      status: "failed",
      attempts: 1,
      error: { code: "MODEL_ERROR" },
    });
    expect((await workerCalls(id)).b).toEqual([1]);
  });

  it("stores results over the inline limit and returns a reference from the step", async () => {
    const { id, instance } = await runScenario({ outputChars: { b: 50_000 } });
    try {
      expect(await instance.waitForStepResult({ name: "task:b" })).toEqual({ stored: "task:b" });
      expect(await instance.waitForStepResult({ name: "task:a" })).toMatchObject({
        inline: { output: "a done" },
      });
    } finally {
      await instance.dispose();
    }
    const output = (await storedView(id)).tasks.find((task) => task.id === "b")?.output as string;
    expect(output).toHaveLength(50_000);
    expect(output.startsWith("b:xxx")).toBe(true);
  });

  it("runs a plan of 8 subtasks, at most 2 at a time (the concurrency of the test Workflow)", async () => {
    const tasks = Array.from({ length: 8 }, (_, index) => ({ id: `t${index + 1}` }));
    const { id, elapsedMs } = await runScenario({
      tasks,
      delayMs: Object.fromEntries(tasks.map((task) => [task.id, 30])),
    });
    const events = await storedEvents(id);
    let inFlight = 0;
    let peak = 0;
    for (const event of events) {
      if (event.type === "task-start") peak = Math.max(peak, ++inFlight);
      if (event.type === "task-end" || event.type === "task-error") inFlight--;
    }
    expect(peak).toBe(2);
    expect((await storedView(id)).status).toBe("completed");
    expect(elapsedMs).toBeGreaterThanOrEqual(4 * 30);
  });
});
