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
  /** Runs per second over the baseline's: the median over rounds of each round's ratio (see `pairedRatio`). */
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
    const perSample = results.map((samples) => samples.map((sample) => sample.runs / (sample.wallMs / 1000)));
    const baselineSamples = perSample[order.indexOf("baseline")]!;
    for (const [index, name] of order.entries()) {
      measurements.push({
        contender: name,
        parallelism,
        runsPerSecond: summarize(perSample[index]!),
        ratio: pairedRatio(perSample[index]!, baselineSamples, options.samplesPerProcess),
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
        title: `Runs per second at L = 0, N = ${options.tasks}, C = ${options.concurrency} (median / p90 of ${options.rounds * options.samplesPerProcess} samples of ${options.sampleMs} ms, each contender in its own process; × baseline: median over ${options.rounds} rounds of the round's ratio)`,
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

/**
 * The median over rounds of (this contender's runs/s ÷ the baseline's, both the median of that round's process).
 * Each round runs every contender once, a few seconds apart: when the machine slows down for a while (other
 * tenants of the host), it slows the contenders of that round together, where pooling every sample of a
 * contender would let a slow spell that hit one contender's processes decide its median.
 */
function pairedRatio(rates: number[], baselineRates: number[], samplesPerProcess: number): number {
  const ratios: number[] = [];
  for (let start = 0; start < rates.length; start += samplesPerProcess) {
    const round = (values: number[]) => summarize(values.slice(start, start + samplesPerProcess)).median;
    ratios.push(round(rates) / round(baselineRates));
  }
  return summarize(ratios).median;
}

function describe(parallelism: number): string {
  return parallelism === 1 ? "1 (sequential)" : `${parallelism} at once`;
}
