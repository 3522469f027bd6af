import { describe, expect, it } from "vitest";
import { runStores } from "./stores.js";

// A smoke test: tiny sizes, memory and SQLite only (no server needed); assertions on the shape of the results
// and on what is deterministic (events and bytes per run), never on timings.

describe("stores scenario (smoke)", () => {
  it("counts writes and bytes per run for each size and compares SQLite with memory", async () => {
    const report = await runStores({
      sizes: [2, 4],
      sizeRepetitions: 1,
      overheadTasks: 3,
      latencies: [0, 2],
      repetitions: 1,
      latencyRepetitions: 1,
      concurrency: 2,
      stores: ["memory", "sqlite"],
    });
    expect(report.name).toBe("stores");
    const growth = report.data.growth as Array<{ store: string; events: number[]; bytes: number[] }>;
    expect(growth.map((row) => row.store)).toEqual(["memory", "sqlite"]);
    // run-start, plan-start, a plan-task/task-start/task-end per subtask, plan-end, aggregate-start/end, run-end.
    for (const row of growth) expect(row.events).toEqual([3 * 2 + 6, 3 * 4 + 6]);
    expect(growth[1]!.bytes).toEqual(growth[0]!.bytes.map(() => expect.any(Number)));
    expect(growth[1]!.bytes[1]!).toBeGreaterThan(growth[1]!.bytes[0]!);
    const overhead = report.data.overhead as Array<{ store: string; latencyMs: number }>;
    expect(overhead.map((row) => [row.store, row.latencyMs])).toEqual([
      ["sqlite", 0],
      ["sqlite", 2],
    ]);
    expect(report.targets.filter((target) => target.target.startsWith("SQLite adds"))).toHaveLength(2);
    expect(report.tables).toHaveLength(2);
  });
});
