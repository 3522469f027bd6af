import { type ContenderName, contenderLabels, contenders } from "./contenders.js";
import { benchModels } from "./mock-models.js";
import { measurePlannerGrowth, type PlannerGrowthOptions } from "./planner-growth.js";
import { formatConcurrency, formatMs, type ScenarioReport, type TargetCheck } from "./report.js";
import { collectGarbage, logLogSlope, median, timeMs } from "./stats.js";

/** Options for {@link runGrowth}. */
export interface GrowthOptions {
  /** Plan sizes; the exponent is fitted over them. */
  sizes: number[];
  concurrencies: number[];
  /** Timed runs per contender and size. */
  repetitions: number;
  /** Timed runs at sizes of 1,000 and more, where one run of ours takes most of a second. */
  largeRepetitions: number;
  /** The model planner alone with a plan streamed in small chunks (see `measurePlannerGrowth`). */
  planner: PlannerGrowthOptions;
}

/** The configurations `pnpm bench` runs. */
export const growthPresets: Record<"full" | "quick", GrowthOptions> = {
  full: {
    sizes: [250, 500, 1000, 2000],
    concurrencies: [Number.POSITIVE_INFINITY, 8],
    repetitions: 5,
    largeRepetitions: 3,
    planner: { sizes: [50, 100, 200, 400], chunkSize: 16, repetitions: 3 },
  },
  quick: {
    sizes: [25, 50, 100],
    concurrencies: [Number.POSITIVE_INFINITY],
    repetitions: 2,
    largeRepetitions: 1,
    planner: { sizes: [10, 20, 40], chunkSize: 16, repetitions: 1 },
  },
};

const order: ContenderName[] = ["baseline", "ours", "ours-generate", "plain", "engine"];

/** The time per run of one contender at every size, and the fitted exponent. */
export interface GrowthMeasurement {
  contender: ContenderName;
  concurrency: number;
  /** Median wall milliseconds per run, by size (same order as `sizes`). */
  medianMs: number[];
  /** Least-squares slope of log(time) against log(N). */
  exponent: number;
  /** Median process CPU milliseconds per run, by size. */
  medianCpuMs: number[];
  /** The same slope over CPU time, which other processes on the machine disturb less than wall time. */
  cpuExponent: number;
}

/**
 * How time per run grows with N at L = 0: the least-squares slope of log(time) against log(N). One warm-up run
 * per contender at the first size; every timed run starts after a full GC.
 */
export async function runGrowth(options: GrowthOptions): Promise<ScenarioReport> {
  const measurements: GrowthMeasurement[] = [];
  for (const concurrency of options.concurrencies) {
    const times = new Map<ContenderName, number[]>(order.map((name) => [name, []]));
    const cpuTimes = new Map<ContenderName, number[]>(order.map((name) => [name, []]));
    for (const size of options.sizes) {
      const models = benchModels({ tasks: size, latencyMs: 0 });
      const settings = { concurrency };
      const samples = new Map<ContenderName, number[]>(order.map((name) => [name, []]));
      const cpuSamples = new Map<ContenderName, number[]>(order.map((name) => [name, []]));
      if (size === options.sizes[0]) for (const name of order) await contenders[name](models, settings);
      const repetitions = size >= 1000 ? options.largeRepetitions : options.repetitions;
      for (let repetition = 0; repetition < repetitions; repetition++) {
        for (const name of repetition % 2 === 0 ? order : [...order].reverse()) {
          collectGarbage();
          const cpuStart = process.cpuUsage();
          samples.get(name)!.push(await timeMs(() => contenders[name](models, settings)));
          const cpu = process.cpuUsage(cpuStart);
          cpuSamples.get(name)!.push((cpu.user + cpu.system) / 1000);
        }
      }
      for (const name of order) {
        times.get(name)!.push(median(samples.get(name)!));
        cpuTimes.get(name)!.push(median(cpuSamples.get(name)!));
      }
    }
    for (const name of order) {
      const medianMs = times.get(name)!;
      const medianCpuMs = cpuTimes.get(name)!;
      measurements.push({
        contender: name,
        concurrency,
        medianMs,
        exponent: logLogSlope(options.sizes, medianMs),
        medianCpuMs,
        cpuExponent: logLogSlope(options.sizes, medianCpuMs),
      });
    }
  }
  const planner = await measurePlannerGrowth(options.planner);
  const streamingPlanner = planner.find((measurement) => measurement.planner === "streaming")!;
  const targets: TargetCheck[] = measurements
    .filter((measurement) => measurement.contender === "ours")
    .map((measurement) => ({
      target: `growth exponent of time vs N (N = ${options.sizes.join(", ")}; C = ${formatConcurrency(measurement.concurrency)}) ≤ 1.05`,
      measured: measurement.exponent.toFixed(3),
      pass: measurement.exponent <= 1.05,
    }));
  targets.push({
    target: `growth exponent of the default (streaming) model planner, plan streamed in ${options.planner.chunkSize}-character chunks (N = ${options.planner.sizes.join(", ")}) ≤ 1.05`,
    measured: streamingPlanner.exponent.toFixed(3),
    pass: streamingPlanner.exponent <= 1.05,
  });
  return {
    name: "growth",
    tables: [
      {
        title: `Time per run vs N at L = 0 (median of ${options.repetitions}, ${options.largeRepetitions} from N = 1000; after a full GC) and the growth exponent`,
        columns: [
          "C",
          "contender",
          ...options.sizes.map((size) => `N = ${size}`),
          "µs / subtask at max N",
          "exponent",
          "CPU exponent",
        ],
        rows: measurements.map((measurement) => [
          formatConcurrency(measurement.concurrency),
          contenderLabels[measurement.contender],
          ...measurement.medianMs.map(formatMs),
          ((measurement.medianMs.at(-1)! * 1000) / options.sizes.at(-1)!).toFixed(1),
          measurement.exponent.toFixed(3),
          measurement.cpuExponent.toFixed(3),
        ]),
        notes: [
          "exponent = least-squares slope of log(wall time) vs log(N); 1.00 is linear. The target is on it.",
          "CPU exponent: the same over process CPU time (GC threads included), less disturbed by other processes.",
          "The plan arrives in one chunk here; the table below streams it the way a real model does.",
        ],
      },
      {
        title: `The model planner alone: CPU to read a plan of N tasks streamed in ${options.planner.chunkSize}-character chunks (about 4 tokens each), L = 0 (median of ${options.planner.repetitions})`,
        columns: [
          "planner",
          ...options.planner.sizes.map((size) => `N = ${size}`),
          "µs / subtask at max N",
          "exponent",
        ],
        rows: planner.map((measurement) => [
          measurement.planner === "streaming"
            ? "modelPlanner (default: streams)"
            : "modelPlanner, stream: false",
          ...measurement.medianCpuMs.map(formatMs),
          ((measurement.medianCpuMs.at(-1)! * 1000) / options.planner.sizes.at(-1)!).toFixed(1),
          measurement.exponent.toFixed(3),
        ]),
        notes: [
          "stream: false reads the same text with one generateText call (the chunks only apply to streams).",
        ],
      },
    ],
    targets,
    data: {
      sizes: options.sizes,
      latencyMs: 0,
      measurements,
      planner: { ...options.planner, measurements: planner },
    },
  };
}
