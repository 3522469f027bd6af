import { modelPlanner, orchestrate } from "@orchestrator-workers/core";
import { baseline, benchPrompt, checkOurs } from "./contenders.js";
import { type BenchModels, benchModels } from "./mock-models.js";
import { formatConcurrency, formatMs, type ScenarioReport, signed } from "./report.js";
import { type Summary, summarize } from "./stats.js";

/** Options for {@link runPipelining}. */
export interface PipeliningOptions {
  /** Subtasks in the plan. */
  tasks: number;
  /** The streamed plan sends one task per chunk, each after this many milliseconds. */
  chunkDelayMs: number;
  /** Worker latency, in milliseconds. */
  workerLatencyMs: number;
  /** Aggregator latency, in milliseconds. */
  aggregatorLatencyMs: number;
  concurrencies: number[];
  repetitions: number;
}

/** The configurations `pnpm bench` runs. */
export const pipeliningPresets: Record<"full" | "quick", PipeliningOptions> = {
  full: {
    tasks: 20,
    chunkDelayMs: 10,
    workerLatencyMs: 100,
    aggregatorLatencyMs: 20,
    concurrencies: [4, Number.POSITIVE_INFINITY],
    repetitions: 5,
  },
  quick: {
    tasks: 5,
    chunkDelayMs: 5,
    workerLatencyMs: 20,
    aggregatorLatencyMs: 5,
    concurrencies: [2],
    repetitions: 1,
  },
};

type Variant = "streamed" | "non-streamed" | "baseline";

const variantLabels: Record<Variant, string> = {
  streamed: "ours, streaming planner",
  "non-streamed": "ours, same plan non-streamed",
  baseline: "baseline (generateText plan)",
};

/** One variant at one concurrency. */
export interface PipeliningMeasurement {
  variant: Variant;
  concurrency: number;
  /** From the start of the run to the first worker call. */
  firstTaskStartMs: Summary;
  wallMs: Summary;
}

/** The gain of streaming the plan over the same plan non-streamed, at one concurrency. */
export interface PipeliningGain {
  concurrency: number;
  /** Non-streamed − streamed time to the first task start (medians). */
  firstTaskStartGainMs: number;
  /** Non-streamed − streamed wall time (medians). */
  wallGainMs: number;
  /** The gain as a share of the non-streamed wall time. */
  wallGainShare: number;
}

/**
 * Pipelined dispatch: the model planner streams its structured output, one task per chunk, so workers start
 * while the plan is still being written. Compared with the same plan non-streamed (`stream: false`, the same
 * total plan latency), and the baseline for reference. Workers and aggregator stream in both of ours.
 */
export async function runPipelining(options: PipeliningOptions): Promise<ScenarioReport> {
  const planLatencyMs = (options.tasks + 1) * options.chunkDelayMs;
  const variants: Variant[] = ["streamed", "non-streamed", "baseline"];
  const measurements: PipeliningMeasurement[] = [];
  const gains: PipeliningGain[] = [];
  for (const concurrency of options.concurrencies) {
    const first = new Map<Variant, number[]>(variants.map((variant) => [variant, []]));
    const wall = new Map<Variant, number[]>(variants.map((variant) => [variant, []]));
    for (let repetition = 0; repetition < options.repetitions; repetition++) {
      for (const variant of repetition % 2 === 0 ? variants : [...variants].reverse()) {
        const models = benchModels({
          tasks: options.tasks,
          latencyMs: options.workerLatencyMs,
          plannerLatencyMs: planLatencyMs,
          aggregatorLatencyMs: options.aggregatorLatencyMs,
          planChunkDelayMs: options.chunkDelayMs,
        });
        const start = performance.now();
        await runVariant(variant, models, concurrency);
        wall.get(variant)!.push(performance.now() - start);
        first.get(variant)!.push((models.workers.firstCallAt ?? Number.NaN) - start);
      }
    }
    for (const variant of variants) {
      measurements.push({
        variant,
        concurrency,
        firstTaskStartMs: summarize(first.get(variant)!),
        wallMs: summarize(wall.get(variant)!),
      });
    }
    const streamed = measurements.find((m) => m.variant === "streamed" && m.concurrency === concurrency)!;
    const whole = measurements.find((m) => m.variant === "non-streamed" && m.concurrency === concurrency)!;
    gains.push({
      concurrency,
      firstTaskStartGainMs: whole.firstTaskStartMs.median - streamed.firstTaskStartMs.median,
      wallGainMs: whole.wallMs.median - streamed.wallMs.median,
      wallGainShare: (whole.wallMs.median - streamed.wallMs.median) / whole.wallMs.median,
    });
  }
  return {
    name: "pipelining",
    tables: [
      {
        title: `Pipelining: N = ${options.tasks}, plan streamed one task per ${options.chunkDelayMs} ms chunk (${planLatencyMs} ms in all), workers ${options.workerLatencyMs} ms, aggregator ${options.aggregatorLatencyMs} ms (median / p90 of ${options.repetitions})`,
        columns: ["C", "variant", "first task starts", "wall"],
        rows: measurements.map((measurement) => [
          formatConcurrency(measurement.concurrency),
          variantLabels[measurement.variant],
          `${formatMs(measurement.firstTaskStartMs.median)} / ${formatMs(measurement.firstTaskStartMs.p90)}`,
          `${formatMs(measurement.wallMs.median)} / ${formatMs(measurement.wallMs.p90)}`,
        ]),
        notes: gains.map(
          (gain) =>
            `C = ${formatConcurrency(gain.concurrency)}: gain of streaming — first task ${signed(formatMs(gain.firstTaskStartGainMs))} sooner, wall ${formatMs(gain.wallGainMs)} shorter (${(gain.wallGainShare * 100).toFixed(0)}%).`,
        ),
      },
    ],
    targets: [],
    data: { ...options, planLatencyMs, measurements, gains },
  };
}

async function runVariant(variant: Variant, models: BenchModels, concurrency: number): Promise<void> {
  if (variant === "baseline") {
    await baseline(models, { concurrency });
    return;
  }
  const result = await orchestrate({
    prompt: benchPrompt,
    orchestrator: variant === "streamed" ? models.planner : modelPlanner(models.planner, { stream: false }),
    worker: models.worker,
    aggregator: models.aggregator,
    concurrency,
    maxSubtasks: models.plan.length,
  });
  checkOurs(result, models);
}
