import { type ContenderName, contenderLabels, contenders } from "./contenders.js";
import { benchModels } from "./mock-models.js";
import type { ScenarioReport, TargetCheck } from "./report.js";
import { collectGarbage, type Summary, summarize } from "./stats.js";

/** Options for {@link runThroughput}. */
export interface ThroughputOptions {
  /** Subtasks per run. */
  tasks: number;
  /** Runs in flight at once: 1 is sequential. */
  parallelism: number[];
  /** Worker concurrency inside each run. */
  concurrency: number;
  /** Samples per contender and parallelism. */
  samples: number;
  /** Length of each sample, in milliseconds. */
  sampleMs: number;
}

/** The configurations `pnpm bench` runs. */
export const throughputPresets: Record<"full" | "quick", ThroughputOptions> = {
  full: { tasks: 10, parallelism: [1, 16], concurrency: 4, samples: 5, sampleMs: 250 },
  quick: { tasks: 5, parallelism: [1, 4], concurrency: 4, samples: 1, sampleMs: 50 },
};

const order: ContenderName[] = ["baseline", "ours", "ours-generate"];

/** Runs per second of one contender at one parallelism. */
export interface ThroughputMeasurement {
  contender: ContenderName;
  parallelism: number;
  runsPerSecond: Summary;
  /** Runs per second over the baseline's (medians). */
  ratio: number;
}

/**
 * Runs per second with no model latency (L = 0): each sample keeps `parallelism` runs in flight (1 =
 * sequential) for `sampleMs` and counts the runs that completed. Samples of the contenders alternate.
 */
export async function runThroughput(options: ThroughputOptions): Promise<ScenarioReport> {
  const models = benchModels({ tasks: options.tasks, latencyMs: 0 });
  const settings = { concurrency: options.concurrency };
  const measurements: ThroughputMeasurement[] = [];
  for (const name of order) await contenders[name](models, settings);
  for (const parallelism of options.parallelism) {
    const rates = new Map<ContenderName, number[]>(order.map((name) => [name, []]));
    for (let sample = 0; sample < options.samples; sample++) {
      for (const name of sample % 2 === 0 ? order : [...order].reverse()) {
        collectGarbage();
        const run = contenders[name];
        const start = performance.now();
        let completed = 0;
        const lane = async () => {
          while (performance.now() - start < options.sampleMs) {
            await run(models, settings);
            completed++;
          }
        };
        await Promise.all(Array.from({ length: parallelism }, lane));
        rates.get(name)!.push(completed / ((performance.now() - start) / 1000));
      }
    }
    const baselineRate = summarize(rates.get("baseline")!).median;
    for (const name of order) {
      const runsPerSecond = summarize(rates.get(name)!);
      measurements.push({
        contender: name,
        parallelism,
        runsPerSecond,
        ratio: runsPerSecond.median / baselineRate,
      });
    }
  }
  const targets: TargetCheck[] = measurements
    .filter((measurement) => measurement.contender === "ours-generate")
    .map((measurement) => ({
      target: `throughput ${describe(measurement.parallelism)} ≥ 0.9 × baseline`,
      measured: `${measurement.ratio.toFixed(2)} ×`,
      pass: measurement.ratio >= 0.9,
    }));
  return {
    name: "throughput",
    tables: [
      {
        title: `Runs per second at L = 0, N = ${options.tasks}, C = ${options.concurrency} (median / p90 of ${options.samples} samples of ${options.sampleMs} ms)`,
        columns: ["runs in flight", "contender", "runs/s", "× baseline"],
        rows: measurements.map((measurement) => [
          describe(measurement.parallelism),
          contenderLabels[measurement.contender],
          `${measurement.runsPerSecond.median.toFixed(0)} / ${measurement.runsPerSecond.p90.toFixed(0)}`,
          measurement.ratio.toFixed(2),
        ]),
      },
    ],
    targets,
    data: { tasks: options.tasks, concurrency: options.concurrency, latencyMs: 0, measurements },
  };
}

function describe(parallelism: number): string {
  return parallelism === 1 ? "1 (sequential)" : `${parallelism} at once`;
}
