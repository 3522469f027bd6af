import { describe, expect, it } from "vitest";
import { runHttp } from "./http.js";

// A smoke test: tiny sizes, and assertions on the shape of the results, never on timings.

describe("http scenario (smoke)", () => {
  it("measures the three request contenders and streams one run to every subscriber", async () => {
    const report = await runHttp({
      samples: 1,
      sampleMs: 100,
      lanes: 2,
      subscribers: 5,
      fanOutTasks: 2,
      workerMs: 1,
    });
    expect(report.name).toBe("http");
    expect(report.tables[0]!.rows.map((row) => row[0])).toEqual([
      "bare Express route (same JSON work, no runs)",
      "hand-written routes, same orchestrator",
      "ours (createExpressHandler)",
    ]);
    expect(report.targets).toHaveLength(2);
    expect(report.targets[1]).toMatchObject({ measured: "5 / 5", pass: true });
    expect(report.data.fanOut).toMatchObject({
      completeSubscribers: 5,
      latencyMs: expect.objectContaining({ p99: expect.any(Number) }),
    });
  }, 30_000);
});
