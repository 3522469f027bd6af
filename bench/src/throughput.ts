import { type ContenderName, contenderLabels } from "./contenders.js";
import type { IsolatedJob } from "./isolated-job.js";
import { sampleIsolated } from "./isolated-sampler.js";
import type { ScenarioReport, TargetCheck } from "./report.js";
import { type Summary, summarize } from "./stats.js";

/** Options for {@link runThroughput}. */
export interface ThroughputOptions {
  /** Subtasks per run. */
  tasks: number;
  /** Runs in flight at once: 1 is sequential. */
  parallelism: number[];
  /** Worker concurrency inside each run. */
  concurrency: number;
  /** Processes per contender and parallelism, in alternating order (see `sampleIsolated`). */
  rounds: number;
  /** Samples each process takes after its warm-up runs. */
  samplesPerProcess: number;
  /** Warm-up per process, in milliseconds. */
  warmupMs: number;
  /** Length of each sample, in milliseconds. */
  sampleMs: number;
}

/** The configurations `pnpm bench` runs. */
export const throughputPresets: Record<"full" | "quick", ThroughputOptions> = {
  full: {
    tasks: 10,
    parallelism: [1, 16],
    concurrency: 4,
    rounds: 6,
    samplesPerProcess: 2,
    warmupMs: 1500,
    sampleMs: 500,
  },
  quick: {
    tasks: 5,
    parallelism: [1, 4],
    concurrency: 4,
    rounds: 1,
    samplesPerProcess: 1,
    warmupMs: 0,
    sampleMs: 50,
  },
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
 * sequential) for `sampleMs` and counts the runs that completed. Each contender runs in a process of its own,
 * in alternating order, warmed up to its steady state.
 */
export async function runThroughput(options: ThroughputOptions): Promise<ScenarioReport> {
  const measurements: ThroughputMeasurement[] = [];
  for (const parallelism of options.parallelism) {
    const jobs: IsolatedJob[] = order.map((contender) => ({
      contender,
      tasks: options.tasks,
      concurrency: options.concurrency,
      parallelism,
      warmupMs: options.warmupMs,
      samples: options.samplesPerProcess,
      sampleMs: options.sampleMs,
      minRuns: 1,
    }));
    const results = await sampleIsolated(jobs, options.rounds);
    const rates = results.map((samples) =>
      summarize(samples.map((sample) => sample.runs / (sample.wallMs / 1000))),
    );
    const baselineRate = rates[order.indexOf("baseline")]!.median;
    for (const [index, name] of order.entries()) {
      measurements.push({
        contender: name,
        parallelism,
        runsPerSecond: rates[index]!,
        ratio: rates[index]!.median / baselineRate,
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
        title: `Runs per second at L = 0, N = ${options.tasks}, C = ${options.concurrency} (median / p90 of ${options.rounds * options.samplesPerProcess} samples of ${options.sampleMs} ms, each contender in its own process)`,
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
