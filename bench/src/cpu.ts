import { type ContenderName, contenderLabels, referenceOf } from "./contenders.js";
import type { IsolatedJob } from "./isolated-job.js";
import { sampleIsolated } from "./isolated-sampler.js";
import {
  formatConcurrency,
  formatMs,
  formatUs,
  type ScenarioReport,
  signed,
  type TargetCheck,
} from "./report.js";
import { measureSdkCallCost } from "./sdk-call-cost.js";
import { type Summary, summarize } from "./stats.js";

/** Options for {@link runCpu}. */
export interface CpuOptions {
  /** Subtasks per run. */
  tasks: number;
  /** The concurrencies to measure at. */
  concurrencies: number[];
  /** Processes per contender and concurrency, in alternating order (see `sampleIsolated`). */
  rounds: number;
  /** Samples each process takes after its warm-up runs. */
  samplesPerProcess: number;
  /** Warm-up per process, in milliseconds. */
  warmupMs: number;
  /**
   * Each sample runs for at least this long, in milliseconds (and at least `minRuns` runs). With every call of
   * a 500-subtask run pending at once, a full garbage collection comes every 30 runs or so and costs several
   * runs' worth of CPU: a sample must span more than one, or whether it caught one decides its value.
   */
  sampleMs: number;
  minRuns: number;
  /** The reference measurement of single AI SDK calls (see `measureSdkCallCost`). */
  sdkCalls: { samples: number; callsPerSample: number };
}

/** The configurations `pnpm bench` runs. */
export const cpuPresets: Record<"full" | "quick", CpuOptions> = {
  full: {
    tasks: 500,
    concurrencies: [8, Number.POSITIVE_INFINITY],
    rounds: 4,
    samplesPerProcess: 2,
    warmupMs: 1500,
    sampleMs: 1000,
    minRuns: 3,
    sdkCalls: { samples: 5, callsPerSample: 500 },
  },
  quick: {
    tasks: 100,
    concurrencies: [8],
    rounds: 1,
    samplesPerProcess: 1,
    warmupMs: 0,
    sampleMs: 50,
    minRuns: 1,
    sdkCalls: { samples: 1, callsPerSample: 50 },
  },
};

const order: ContenderName[] = ["baseline", "ours", "ours-generate", "plain", "engine"];

/** CPU time of one contender at one concurrency. */
export interface CpuMeasurement {
  contender: ContenderName;
  concurrency: number;
  /** Process CPU time (user + system, GC threads included) per subtask. */
  cpuUsPerSubtask: Summary;
  /** Wall time per run. */
  wallMsPerRun: Summary;
  /** CPU per subtask minus its reference's (medians): the baseline's, or for the engine the plain run's. */
  ownCpuUsPerSubtask: number;
}

/**
 * CPU µs per subtask with no model latency (L = 0): `process.cpuUsage()` around as many runs as fill a sample,
 * divided by runs × N, for the baseline, ours (default, streaming roles), ours with `stream: false` roles, and the
 * engine alone against plain `Promise.all` (both with function roles, no AI SDK). Each contender runs in a
 * process of its own, in alternating order, warmed up to its steady state.
 */
export async function runCpu(options: CpuOptions): Promise<ScenarioReport> {
  const measurements: CpuMeasurement[] = [];
  for (const concurrency of options.concurrencies) {
    const jobs: IsolatedJob[] = order.map((contender) => ({
      contender,
      tasks: options.tasks,
      concurrency: Number.isFinite(concurrency) ? concurrency : null,
      parallelism: 1,
      warmupMs: options.warmupMs,
      samples: options.samplesPerProcess,
      sampleMs: options.sampleMs,
      minRuns: options.minRuns,
    }));
    const results = await sampleIsolated(jobs, options.rounds);
    const cpu = new Map(
      order.map((name, index) => [
        name,
        summarize(results[index]!.map((sample) => sample.cpuUs / sample.runs / options.tasks)),
      ]),
    );
    for (const [index, name] of order.entries()) {
      measurements.push({
        contender: name,
        concurrency,
        cpuUsPerSubtask: cpu.get(name)!,
        wallMsPerRun: summarize(results[index]!.map((sample) => sample.wallMs / sample.runs)),
        ownCpuUsPerSubtask: cpu.get(name)!.median - cpu.get(referenceOf[name])!.median,
      });
    }
  }
  const sdkCalls = await measureSdkCallCost(options.sdkCalls);
  const targets: TargetCheck[] = measurements
    .filter((measurement) => measurement.contender === "ours-generate")
    .map((measurement) => ({
      target: `own CPU per subtask (ours − baseline) at N = ${options.tasks}, C = ${formatConcurrency(measurement.concurrency)} ≤ 10 µs`,
      measured: signed(formatUs(measurement.ownCpuUsPerSubtask)),
      pass: measurement.ownCpuUsPerSubtask <= 10,
    }));
  return {
    name: "cpu",
    tables: [
      {
        title: `CPU per subtask at N = ${options.tasks}, L = 0 (process.cpuUsage, user + system; median / p90 of ${options.rounds * options.samplesPerProcess} samples, each contender in its own process)`,
        columns: ["C", "contender", "CPU / subtask", "− reference", "wall / run"],
        rows: measurements.map((measurement) => [
          formatConcurrency(measurement.concurrency),
          contenderLabels[measurement.contender],
          `${formatUs(measurement.cpuUsPerSubtask.median)} / ${formatUs(measurement.cpuUsPerSubtask.p90)}`,
          referenceOf[measurement.contender] === measurement.contender
            ? ""
            : signed(formatUs(measurement.ownCpuUsPerSubtask)),
          formatMs(measurement.wallMsPerRun.median),
        ]),
        notes: [
          "The target applies to ours making the same AI SDK calls as the baseline (generateText everywhere), so that",
          "ours − baseline is the library's own cost. Default roles stream the plan (streamText, for pipelined",
          "dispatch); that row adds the AI SDK's streaming cost. The engine row: ours with no AI SDK at all.",
        ],
      },
      {
        title: "Reference: CPU of one AI SDK call on the same mock model, nothing around it (median / p90)",
        columns: ["call", "CPU / call"],
        rows: sdkCalls.map((cost) => [
          cost.call,
          `${formatUs(cost.cpuUsPerCall.median)} / ${formatUs(cost.cpuUsPerCall.p90)}`,
        ]),
        notes: [
          "generateText is what the baseline calls per subtask, and what ours calls when nobody listens to deltas.",
        ],
      },
    ],
    targets,
    data: { tasks: options.tasks, latencyMs: 0, measurements, sdkCalls },
  };
}
