import { describe, expect, it } from "vitest";
import { foldRun } from "../run/fold-run.js";
import { memoryStore } from "../store/memory-store.js";
import { countingWorker, fixedPlanner, joinAggregator, streamingPlanner } from "../test-support/roles.js";
import { scriptedModels } from "../testing/scripted-models.js";
import type { RunEvent } from "../types/run-event.js";
import { createOrchestrator } from "./create-orchestrator.js";

const wide = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ id: `t${index}`, details: `task ${index}` }));

describe("scheduling", () => {
  it("never exceeds the concurrency limit, and independent tasks overlap", async () => {
    const { worker, stats } = countingWorker(15);
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner(wide(9)),
      worker,
      aggregator: joinAggregator,
    });
    const result = await orchestrator.run("go", { concurrency: 3 });
    expect(result.status).toBe("completed");
    expect(stats.peak).toBe(3);
    expect(stats.calls).toBe(9);
  });

  it("runs a task only after its dependencies and hands it their outputs", async () => {
    const { worker, stats } = countingWorker(5);
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner([
        { id: "a", details: "A" },
        { id: "b", details: "B" },
        { id: "c", details: "C", dependsOn: ["a", "b"] },
        { id: "d", details: "D", dependsOn: ["c"] },
      ]),
      worker,
      aggregator: joinAggregator,
    });
    const result = await orchestrator.run("go", { concurrency: 4 });
    expect(stats.started.indexOf("c")).toBeGreaterThan(
      Math.max(stats.ended.indexOf("a"), stats.ended.indexOf("b")) - 1,
    );
    expect(result.tasks.find((task) => task.id === "c")!.output).toBe("c(a(),b())");
    expect(result.tasks.find((task) => task.id === "d")!.output).toBe("d(c(a(),b()))");
    expect(result.output).toBe("a()|b()|c(a(),b())|d(c(a(),b()))");
  });

  it("takes about the critical path, not the sum of task times (no wave barriers)", async () => {
    // Chain a1 -> a2 (2 x 40 ms) beside a slow independent task s (90 ms) and b (10 ms) -> b2 (needs b only).
    // With wave barriers b2 would wait for s; without, the run takes ~max(80, 90) ms; the sum is 190 ms.
    const latency: Record<string, number> = { a1: 40, a2: 40, s: 90, b: 10, b2: 10 };
    const { worker, stats } = countingWorker((input) => latency[input.task.id]!);
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner([
        { id: "a1", details: "x" },
        { id: "a2", details: "x", dependsOn: ["a1"] },
        { id: "s", details: "x" },
        { id: "b", details: "x" },
        { id: "b2", details: "x", dependsOn: ["b"] },
      ]),
      worker,
      aggregator: joinAggregator,
    });
    const started = performance.now();
    await orchestrator.run("go", { concurrency: 10 });
    const wall = performance.now() - started;
    expect(wall).toBeLessThan(170);
    expect(stats.ended.indexOf("b2")).toBeLessThan(stats.ended.indexOf("s"));
  });

  it("pipelines: with a streaming planner, workers start before plan-end", async () => {
    const { worker } = countingWorker(1);
    const events: RunEvent[] = [];
    const orchestrator = createOrchestrator({
      orchestrator: streamingPlanner(wide(4), 20),
      worker,
      aggregator: joinAggregator,
    });
    const result = await orchestrator.run("go", { onEvent: (event) => events.push(event) });
    const planEnd = events.findIndex((event) => event.type === "plan-end");
    const firstTaskEnd = events.findIndex((event) => event.type === "task-end");
    expect(firstTaskEnd).toBeGreaterThan(-1);
    expect(firstTaskEnd).toBeLessThan(planEnd);
    expect(result.plan?.analysis).toBe("streamed");
    expect(result.usage.byRole.orchestrator.totalTokens).toBe(10);
  });

  it("stores every event before emitting it, with gap-free seqs, and the fold equals the live view", async () => {
    const store = memoryStore();
    const { worker } = countingWorker(2);
    const emitted: RunEvent[] = [];
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner(wide(5)),
      worker,
      aggregator: joinAggregator,
      store,
    });
    let runId = "";
    const handle = await orchestrator.start("go", {
      concurrency: 2,
      onEvent: async (event) => {
        runId = event.runId;
        emitted.push(event);
        if (event.type === "task-delta" || event.type === "aggregate-delta") return;
        const stored = await store.readEvents(runId, { after: event.seq - 1, limit: 1 });
        expect(stored[0]?.seq).toBe(event.seq);
      },
    });
    const result = await handle.result;
    const stored = await store.readEvents(handle.id);
    expect(stored.map((event) => event.seq)).toEqual(stored.map((_, index) => index + 1));
    expect(emitted.map((event) => event.seq)).toEqual(stored.map((event) => event.seq));
    expect(foldRun(handle.id, stored)).toEqual(result);
    expect(result.usage.byRole.worker.totalTokens).toBe(5 * 15);
    expect(result.usage.totalTokens).toBe(5 * 15 + 2);
  });

  it("routes tasks to workers by type, with a default", async () => {
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner([
        { id: "a", type: "code", details: "x" },
        { id: "b", type: "docs", details: "y" },
        { id: "c", type: "other", details: "z" },
      ]),
      worker: {
        code: () => "from code",
        docs: { run: async () => ({ output: "from docs" }) },
        default: () => "from default",
      },
      aggregator: joinAggregator,
    });
    const result = await orchestrator.run("go");
    expect(result.tasks.map((task) => task.output)).toEqual(["from code", "from docs", "from default"]);
  });

  it("accepts a worker object whose run answers a plain value, and fails a task whose run throws at once", async () => {
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner([
        { id: "a", type: "sync", details: "x" },
        { id: "b", type: "throws", details: "y" },
      ]),
      worker: {
        sync: { run: (() => ({ output: "plain" })) as never },
        throws: {
          run: () => {
            throw new Error("thrown before any promise");
          },
        },
      },
      aggregator: joinAggregator,
      defaults: { retry: { attempts: 1 } },
    });
    const result = await orchestrator.run("go");
    expect(result.tasks.map((task) => [task.id, task.status, task.output ?? task.error?.message])).toEqual([
      ["a", "completed", "plain"],
      ["b", "failed", expect.stringContaining("thrown before any promise")],
    ]);
  });

  it("streams task deltas live, after the task-start they belong to, without storing them", async () => {
    const store = memoryStore();
    const events: RunEvent[] = [];
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner(["one"]),
      worker: (_input, context) => {
        context.emitDelta("hel");
        context.emitDelta("lo");
        return "hello";
      },
      aggregator: {
        aggregate: async (_input, context) => {
          context.emitDelta("all");
          return { output: "all" };
        },
      },
      store,
    });
    const result = await orchestrator.run("go", { onEvent: (event) => events.push(event) });
    const types = events.map((event) => event.type);
    expect(types.indexOf("task-delta")).toBeGreaterThan(types.indexOf("task-start"));
    expect(events.filter((event) => event.type === "task-delta").map((event) => event.delta)).toEqual([
      "hel",
      "lo",
    ]);
    expect(types).toContain("aggregate-delta");
    const stored = await store.readEvents(result.id);
    expect(stored.some((event) => (event.type as string).endsWith("-delta"))).toBe(false);
  });

  it("model roles stream only when someone listens to deltas", async () => {
    const calls = async (listen: boolean) => {
      const models = scriptedModels();
      const orchestrator = createOrchestrator({ orchestrator: models.orchestrator, worker: models.worker });
      const deltas: string[] = [];
      await orchestrator.run(
        "Compare two caches",
        listen ? { onEvent: (event) => event.type === "task-delta" && deltas.push(event.delta) } : {},
      );
      return {
        streamed: models.worker.doStreamCalls.length,
        generated: models.worker.doGenerateCalls.length,
        deltas: deltas.length,
      };
    };
    const quiet = await calls(false);
    expect(quiet.streamed).toBe(0);
    expect(quiet.generated).toBeGreaterThan(0);
    const listened = await calls(true);
    expect(listened.generated).toBe(0);
    expect(listened.streamed).toBeGreaterThan(0);
    expect(listened.deltas).toBeGreaterThan(0);
  });
});
