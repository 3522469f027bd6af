import { describe, expect, it } from "vitest";
import { TaskGraph } from "./task-graph.js";

function harness(concurrency: number) {
  const started: string[] = [];
  const skipped: Array<[string, string]> = [];
  const graph = new TaskGraph({
    concurrency,
    start: (id) => started.push(id),
    skip: (id, dependency) => skipped.push([id, dependency]),
  });
  return { graph, started, skipped };
}

describe("TaskGraph", () => {
  it("starts independent tasks up to the concurrency limit, in FIFO order", () => {
    const { graph, started } = harness(2);
    for (const id of ["a", "b", "c"]) graph.add(id, []);
    expect(started).toEqual(["a", "b"]);
    graph.settle("a", "completed");
    expect(started).toEqual(["a", "b", "c"]);
  });

  it("starts a task as soon as its own dependencies complete, without waiting for a wave", () => {
    const { graph, started } = harness(10);
    graph.add("a", []);
    graph.add("slow", []);
    graph.add("b", ["a"]);
    expect(started).toEqual(["a", "slow"]);
    graph.settle("a", "completed");
    expect(started).toEqual(["a", "slow", "b"]);
  });

  it("waits for a dependency that is added later (pipelined planning)", () => {
    const { graph, started } = harness(10);
    graph.add("b", ["a"]);
    expect(started).toEqual([]);
    graph.add("a", []);
    graph.settle("a", "completed");
    expect(started).toEqual(["a", "b"]);
  });

  it("skips dependents of a failed task transitively, and only them", () => {
    const { graph, started, skipped } = harness(10);
    graph.add("a", []);
    graph.add("b", ["a"]);
    graph.add("c", ["b"]);
    graph.add("d", []);
    graph.settle("a", "failed");
    expect(skipped).toEqual([
      ["b", "a"],
      ["c", "b"],
    ]);
    expect(started).toEqual(["a", "d"]);
  });

  it("skips a task added after its dependency already failed", () => {
    const { graph, skipped } = harness(10);
    graph.add("a", []);
    graph.settle("a", "failed");
    graph.add("b", ["a"]);
    expect(skipped).toEqual([["b", "a"]]);
  });

  it("replays settled tasks on resume without starting them", () => {
    const { graph, started, skipped } = harness(10);
    graph.add("a", [], "completed");
    graph.add("x", [], "failed");
    graph.add("b", ["a"]);
    graph.add("y", ["x"]);
    expect(started).toEqual(["b"]);
    expect(skipped).toEqual([["y", "x"]]);
  });

  it("is idle once sealed and nothing runs, and stop() starts nothing more", async () => {
    const { graph, started } = harness(1);
    graph.add("a", []);
    graph.add("b", []);
    graph.seal();
    graph.stop();
    let idle = false;
    void graph.idle().then(() => {
      idle = true;
    });
    await Promise.resolve();
    expect(idle).toBe(false);
    graph.settle("a", "completed");
    await graph.idle();
    expect(started).toEqual(["a"]);
    expect(graph.unstarted()).toEqual(["b"]);
  });

  it("handles 100,000 tasks in a chain and a fan-out in linear time", () => {
    const { graph, started } = harness(Number.POSITIVE_INFINITY);
    const count = 100_000;
    graph.add("root", []);
    for (let index = 0; index < count; index++) graph.add(`t${index}`, ["root"]);
    graph.settle("root", "completed");
    expect(started.length).toBe(count + 1);

    const chain = harness(1);
    chain.graph.add("c0", []);
    for (let index = 1; index < count; index++) chain.graph.add(`c${index}`, [`c${index - 1}`]);
    chain.graph.seal();
    // Each settlement starts exactly the next link; a quadratic scan would not finish within the test timeout.
    for (let index = 0; index < count; index++) {
      expect(chain.started.length).toBe(index + 1);
      chain.graph.settle(`c${index}`, "completed");
    }
    expect(chain.started.at(-1)).toBe(`c${count - 1}`);
  });
});
