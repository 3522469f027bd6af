import { describe, expect, it } from "vitest";
import { sleep } from "../run/sleep.js";
import { countingWorker, fixedPlanner, joinAggregator, stuckWorker } from "../test-support/roles.js";
import { createOrchestrator } from "./create-orchestrator.js";

const tasks = Array.from({ length: 6 }, (_, index) => ({ id: `t${index}`, details: "x" }));

describe("cancellation", () => {
  it("settles as cancelled within 100 ms of the signal, aborting in-flight calls", async () => {
    const controller = new AbortController();
    const { worker, stats } = countingWorker(10_000);
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner(tasks),
      worker,
      aggregator: joinAggregator,
    });
    const handle = await orchestrator.start("go", { signal: controller.signal, concurrency: 3 });
    await new Promise<void>((resolve) => handle.events.on("task-start", () => resolve()));
    const aborted = performance.now();
    controller.abort();
    const result = await handle.result;
    expect(performance.now() - aborted).toBeLessThan(100);
    expect(result.status).toBe("cancelled");
    expect(result.error?.code).toBe("CANCELLED");
    expect(stats.inFlight).toBe(0);
    expect(result.tasks.every((task) => task.status === "cancelled")).toBe(true);
  });

  it("settles promptly even when workers ignore their signal", async () => {
    const controller = new AbortController();
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner(tasks),
      worker: stuckWorker,
      aggregator: joinAggregator,
    });
    const handle = await orchestrator.start("go", { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const aborted = performance.now();
    controller.abort();
    const result = await handle.result;
    expect(performance.now() - aborted).toBeLessThan(100);
    expect(result.status).toBe("cancelled");
  });

  it("cancels through orchestrator.cancel(id)", async () => {
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner(tasks),
      worker: stuckWorker,
      aggregator: joinAggregator,
    });
    const handle = await orchestrator.start("go");
    const view = await orchestrator.cancel(handle.id);
    expect(view.status).toBe("cancelled");
    expect((await handle.result).status).toBe("cancelled");
  });

  it("cancels a run already aborted before it started", async () => {
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner(tasks),
      worker: stuckWorker,
      aggregator: joinAggregator,
    });
    const result = await orchestrator.run("go", { signal: AbortSignal.abort() });
    expect(result.status).toBe("cancelled");
  });
});

describe("timeouts", () => {
  it("times out a stuck attempt per task (timeouts.taskMs) and retries it", async () => {
    let calls = 0;
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner(["x"]),
      worker: () => {
        calls++;
        return calls === 1 ? new Promise(() => {}) : "second time";
      },
      aggregator: joinAggregator,
    });
    const result = await orchestrator.run("go", {
      timeouts: { taskMs: 30 },
      retry: { initialDelayMs: 1, jitter: false },
    });
    expect(result.status).toBe("completed");
    expect(result.tasks[0]).toMatchObject({ output: "second time", attempts: 2 });
  });

  it("drops what a timed-out attempt answers or reports late, while a later attempt runs", async () => {
    let calls = 0;
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner(["x"]),
      worker: async (_input, context) => {
        calls++;
        if (calls === 1) {
          // Ignores its signal: answers after the timeout, while the second attempt is still running.
          await sleep(300);
          context.reportUsage({ inputTokens: 100, outputTokens: 100 });
          return "late first attempt";
        }
        // Starts at about 200 ms (after the first attempt's timeout) and ends at about 360 ms, before its own.
        await sleep(160);
        context.reportUsage({ inputTokens: 1, outputTokens: 2 });
        return "second attempt";
      },
      aggregator: joinAggregator,
    });
    const result = await orchestrator.run("go", {
      timeouts: { taskMs: 200, runMs: 5_000 },
      retry: { initialDelayMs: 1, jitter: false },
    });
    expect(result.status).toBe("completed");
    expect(result.tasks[0]).toMatchObject({
      output: "second attempt",
      attempts: 2,
      usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
    });
  });

  it("fails a task with TIMEOUT when every attempt times out", async () => {
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner(["x", "y"]),
      worker: (input) => (input.task.id === "t1" ? new Promise(() => {}) : "ok"),
      aggregator: joinAggregator,
    });
    const result = await orchestrator.run("go", {
      timeouts: { taskMs: 20 },
      retry: { attempts: 2, initialDelayMs: 1 },
    });
    expect(result.tasks[0]).toMatchObject({ status: "failed", error: { code: "TIMEOUT" } });
    expect(result.tasks[0]!.error?.message).toContain("timed out after 20 ms");
  });

  it("fails the whole run with TIMEOUT after timeouts.runMs", async () => {
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner(tasks),
      worker: stuckWorker,
      aggregator: joinAggregator,
    });
    const started = performance.now();
    const result = await orchestrator.run("go", { timeouts: { runMs: 50 } });
    expect(performance.now() - started).toBeLessThan(200);
    expect(result).toMatchObject({ status: "failed", error: { code: "TIMEOUT" } });
  });
});

describe("budget", () => {
  it("stops starting tasks once the token budget is spent, still aggregates, and says why", async () => {
    const { worker, stats } = countingWorker(5); // each task reports 15 tokens
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner(tasks),
      worker,
      aggregator: joinAggregator,
    });
    const result = await orchestrator.run("go", { concurrency: 1, budget: { maxTokens: 30 } });
    expect(stats.calls).toBe(2);
    expect(result.status).toBe("completed");
    expect(result.reason).toBe("budget-exceeded");
    expect(result.output).toBe("t0()|t1()");
    const skipped = result.tasks.filter((task) => task.status === "skipped");
    expect(skipped).toHaveLength(4);
    expect(skipped[0]!.error?.code).toBe("BUDGET_EXCEEDED");
  });
});
