import { describe, expect, it } from "vitest";
import { Semaphore } from "./baseline.js";
import { runCpu } from "./cpu.js";
import { runOverhead } from "./overhead.js";
import { runPipelining } from "./pipelining.js";
import { logLogSlope, percentile } from "./stats.js";

// Smoke tests: tiny sizes, and assertions on the shape of the results, never on timings.

describe("bench scenarios (smoke)", () => {
  it("overhead reports one row and one target per case", async () => {
    const report = await runOverhead({
      cases: [
        { tasks: 3, concurrency: Number.POSITIVE_INFINITY },
        { tasks: 4, concurrency: 2, layers: 2 },
      ],
      latencyMs: 2,
      repetitions: 2,
      longRepetitions: 1,
      warmupMs: 10,
    });
    expect(report.name).toBe("overhead");
    expect(report.tables[0]!.rows).toHaveLength(2);
    expect(report.targets).toHaveLength(2);
    for (const target of report.targets) expect(typeof target.pass).toBe("boolean");
    const cases = report.data.cases as Array<Record<string, unknown>>;
    expect(cases[0]).toMatchObject({ tasks: 3, layers: 1, criticalPathMs: 6 });
    expect(cases[1]).toMatchObject({ tasks: 4, concurrency: 2, layers: 2, criticalPathMs: 8 });
    expect(cases[1]!.ownCostMs).toEqual(
      expect.objectContaining({ median: expect.any(Number), p90: expect.any(Number), samples: 2 }),
    );
  });

  it("cpu measures every contender against its reference", async () => {
    const report = await runCpu({
      tasks: 5,
      concurrencies: [2],
      rounds: 1,
      samplesPerProcess: 1,
      warmupMs: 0,
      sampleMs: 1,
      minRuns: 1,
      sdkCalls: { samples: 1, callsPerSample: 2 },
    });
    const measurements = report.data.measurements as Array<{ contender: string; ownCpuUsPerSubtask: number }>;
    expect(measurements.map((measurement) => measurement.contender)).toEqual([
      "baseline",
      "ours",
      "ours-generate",
      "plain",
      "engine",
    ]);
    expect(measurements[0]!.ownCpuUsPerSubtask).toBe(0);
    expect(measurements[3]!.ownCpuUsPerSubtask).toBe(0);
    expect(report.targets).toHaveLength(1);
    expect(report.tables[1]!.rows.map((row) => row[0])).toEqual([
      "generateText",
      "streamText",
      "streamText + Output.object",
    ]);
  });

  it("pipelining times the first task start of every variant", async () => {
    const report = await runPipelining({
      tasks: 3,
      chunkDelayMs: 2,
      workerLatencyMs: 2,
      aggregatorLatencyMs: 1,
      concurrencies: [1],
      repetitions: 1,
    });
    const measurements = report.data.measurements as Array<{
      variant: string;
      firstTaskStartMs: { median: number };
    }>;
    expect(measurements.map((measurement) => measurement.variant)).toEqual([
      "streamed",
      "non-streamed",
      "baseline",
    ]);
    for (const measurement of measurements) expect(measurement.firstTaskStartMs.median).toBeGreaterThan(0);
    expect(report.data.gains).toHaveLength(1);
  });
});

describe("bench helpers", () => {
  it("fits the exponent of a power law", () => {
    const sizes = [250, 500, 1000, 2000];
    expect(
      logLogSlope(
        sizes,
        sizes.map((size) => 3 * size),
      ),
    ).toBeCloseTo(1, 10);
    expect(
      logLogSlope(
        sizes,
        sizes.map((size) => size ** 2),
      ),
    ).toBeCloseTo(2, 10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBeCloseTo(9.1, 10);
  });

  it("the baseline's semaphore never lets more than its limit run", async () => {
    const semaphore = new Semaphore(3);
    let running = 0;
    let peak = 0;
    const task = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running--;
    };
    await Promise.all(Array.from({ length: 20 }, () => semaphore.run(task)));
    expect(peak).toBe(3);
    expect(running).toBe(0);
  });
});
