import type { Planner, RunStore } from "@orchestrator-workers/core";
import { describe, expect, it } from "vitest";
import { FakeWorkflowStep } from "../../test/fake-workflow-step.js";
import { scenarioAggregator, scenarioPlanner, scenarioWorker } from "../../test/scenario.js";
import {
  newRunId,
  storedEvents,
  storedView,
  testEnv,
  testStore,
  workerCalls,
} from "../../test/test-helpers.js";
import { runOrchestratorWorkflow } from "./run-orchestrator-workflow.js";
import { defaultWorkflowStepConfig } from "./workflow-step-executor.js";

/** A store whose first append matching `dies` throws, as if the process died before the write landed. */
function storeThatDiesOnce(dies: (events: Parameters<RunStore["append"]>[0]["events"]) => boolean): RunStore {
  let died = false;
  return {
    ...testStore,
    async append(input) {
      if (!died && dies(input.events)) {
        died = true;
        throw new Error("the process died");
      }
      return testStore.append(input);
    },
  };
}

function countingPlanner(): Planner & { calls: number } {
  const planner = {
    calls: 0,
    plan(...args: Parameters<Planner["plan"]>) {
      planner.calls++;
      return scenarioPlanner.plan(...args);
    },
  };
  return planner;
}

function config(store: RunStore, planner: Planner = scenarioPlanner) {
  return {
    store,
    stepResults: testStore.stepResults,
    orchestrator: planner,
    worker: scenarioWorker(testEnv.DB),
    aggregator: scenarioAggregator,
    defaults: { retry: { attempts: 3, initialDelayMs: 1, maxDelayMs: 5 } },
  };
}

const prompt = JSON.stringify({ tasks: [{ id: "a" }, { id: "b", dependsOn: ["a"] }] });

describe("runOrchestratorWorkflow across replays", () => {
  it("never pays twice for a subtask whose step completed before the process died without storing task-end", async () => {
    const runId = newRunId();
    const step = new FakeWorkflowStep();
    const store = storeThatDiesOnce((events) =>
      events.some((event) => event.type === "task-end" && event.taskId === "b"),
    );
    const event = { instanceId: runId, payload: { prompt } };

    await expect(runOrchestratorWorkflow({ config: config(store), event, step })).rejects.toThrow(
      /the process died/,
    );
    const firstCall = step.executed;
    expect(firstCall.slice(0, 3)).toEqual(["plan", "task:a", "task:b"]);
    // The write holding b's task-end died (with whatever else its group commit held): b is not completed.
    expect((await storedView(runId)).tasks.find((task) => task.id === "b")?.status).not.toBe("completed");

    // Workflows calls run() again from the top.
    const output = await runOrchestratorWorkflow({ config: config(store), event, step: step.replay() });
    expect(output).toEqual({ id: runId, status: "completed" });
    // b was started and never ended in the log: the engine asked for b's step again (same attempt number) and
    // got b's result without a second worker call. No step ran in both calls.
    expect(step.executed).not.toContain("task:b#2");
    expect(new Set([...firstCall, ...step.executed]).size).toBe(firstCall.length + step.executed.length);
    expect(await workerCalls(runId)).toEqual({ a: [1], b: [1] });
    // b's first task-start is stored only if an earlier group commit held it; its task-end is stored once.
    const bEvents = (await storedEvents(runId)).filter((event) => "taskId" in event && event.taskId === "b");
    expect(bEvents.filter((event) => event.type === "task-start").length).toBeGreaterThanOrEqual(1);
    expect(bEvents.filter((event) => event.type === "task-end")).toHaveLength(1);
    const view = await storedView(runId);
    expect(view.output).toBe("a=a done, b=b done after a done");
    expect(view.tasks.find((task) => task.id === "b")).toMatchObject({
      status: "completed",
      output: "b done after a done",
    });
  });

  it("never plans twice when the process died after the plan step but before plan-end was stored", async () => {
    const runId = newRunId();
    const step = new FakeWorkflowStep();
    const planner = countingPlanner();
    const store = storeThatDiesOnce((events) => events.some((event) => event.type === "plan-end"));
    const event = { instanceId: runId, payload: { prompt } };

    await expect(runOrchestratorWorkflow({ config: config(store, planner), event, step })).rejects.toThrow(
      /the process died/,
    );
    const firstCall = step.executed;
    const output = await runOrchestratorWorkflow({
      config: config(store, planner),
      event,
      step: step.replay(),
    });
    expect(output.status).toBe("completed");
    expect(planner.calls).toBe(1);
    expect(step.executed).not.toContain("plan");
    expect(new Set([...firstCall, ...step.executed]).size).toBe(firstCall.length + step.executed.length);
    expect(await workerCalls(runId)).toEqual({ a: [1], b: [1] });
  });

  it("answers a finished run's outcome again on a replay, running nothing", async () => {
    const runId = newRunId();
    const step = new FakeWorkflowStep();
    const event = { instanceId: runId, payload: { prompt } };
    const first = await runOrchestratorWorkflow({ config: config(testStore), event, step });
    const eventsBefore = await storedEvents(runId);
    const again = await runOrchestratorWorkflow({ config: config(testStore), event, step: step.replay() });
    expect(again).toEqual(first);
    expect(step.executed).toEqual([]);
    expect(await storedEvents(runId)).toEqual(eventsBefore);
  });

  it("claims a run the handler reserved: same id, no events yet", async () => {
    const runId = newRunId();
    await testStore.createRun({
      id: runId,
      tenant: "acme",
      idempotencyKey: "key-1",
      fingerprint: "f",
      createdAt: Date.now(),
    });
    const output = await runOrchestratorWorkflow({
      config: config(testStore),
      event: {
        instanceId: runId,
        payload: { prompt, options: { tenant: "acme", metadata: { from: "test" } } },
      },
      step: new FakeWorkflowStep(),
    });
    expect(output.status).toBe("completed");
    const view = await storedView(runId);
    expect(view).toMatchObject({ status: "completed", tenant: "acme", metadata: { from: "test" } });
    expect(await testStore.getRun(runId)).toMatchObject({ idempotencyKey: "key-1", status: "completed" });
  });

  it("turns Workflows' own step retries off: the engine owns retries", async () => {
    const step = new FakeWorkflowStep();
    await runOrchestratorWorkflow({
      config: config(testStore),
      event: { instanceId: newRunId(), payload: { prompt } },
      step,
    });
    expect(step.configs.get("task:a")).toEqual(defaultWorkflowStepConfig);
    expect(defaultWorkflowStepConfig.retries?.limit).toBe(0);
  });
});
