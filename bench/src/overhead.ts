import { baseline, oursGenerate as ours } from "./contenders.js";
import { benchModels } from "./mock-models.js";
import { formatConcurrency, formatMs, type ScenarioReport, signed, type TargetCheck } from "./report.js";
import { type Summary, summarize, timeMs } from "./stats.js";

/** One configuration of the overhead scenario. */
export interface OverheadCase {
  tasks: number;
  concurrency: number;
  /** Dependency layers (see `planTasks`); the critical path then has `layers` waves. Use with C = ∞. @default 1 */
  layers?: number;
}

/** Options for {@link runOverhead}. */
export interface OverheadOptions {
  cases: OverheadCase[];
  /** Latency of every model call, in milliseconds. */
  latencyMs: number;
  /** Paired repetitions (one baseline run, one of ours) per case. */
  repetitions: number;
  /** Repetitions for cases whose critical path exceeds one second. */
  longRepetitions: number;
  /**
   * Both contenders run alternately, without latency, for this long before the first case, so that the first
   * case does not measure the JIT compiling ours (the larger code) while the baseline is already optimized.
   */
  warmupMs: number;
}

/** The configurations `pnpm bench` runs. */
export const overheadPresets: Record<"full" | "quick", OverheadOptions> = {
  full: {
    cases: [
      { tasks: 5, concurrency: Number.POSITIVE_INFINITY },
      { tasks: 5, concurrency: 8 },
      { tasks: 50, concurrency: Number.POSITIVE_INFINITY },
      { tasks: 50, concurrency: 8 },
      { tasks: 500, concurrency: Number.POSITIVE_INFINITY },
      { tasks: 500, concurrency: 8 },
      { tasks: 50, concurrency: Number.POSITIVE_INFINITY, layers: 5 },
    ],
    latencyMs: 20,
    repetitions: 60,
    longRepetitions: 7,
    warmupMs: 2_000,
  },
  quick: {
    cases: [
      { tasks: 5, concurrency: Number.POSITIVE_INFINITY },
      { tasks: 50, concurrency: 8 },
    ],
    latencyMs: 20,
    repetitions: 3,
    longRepetitions: 1,
    warmupMs: 0,
  },
};

/** The measurements of one case. */
export interface OverheadResult extends Required<OverheadCase> {
  /** Plan latency + waves × L + aggregate latency: the wall time of a run with zero overhead. */
  criticalPathMs: number;
  baselineWallMs: Summary;
  oursWallMs: Summary;
  /** Wall − critical path. */
  baselineOverheadMs: Summary;
  oursOverheadMs: Summary;
  /** Ours − baseline, per repetition pair. */
  ownCostMs: Summary;
  /** The bound the own cost is checked against: 0.5 ms + 10 µs per subtask. */
  budgetMs: number;
}

/**
 * Overhead per run: wall time minus the critical path, with every model call taking `latencyMs`, for ours and
 * the baseline, run in alternating pairs so that both see the same machine state.
 */
export async function runOverhead(options: OverheadOptions): Promise<ScenarioReport> {
  await warmUp(options.warmupMs);
  const results: OverheadResult[] = [];
  for (const testCase of options.cases) results.push(await measureCase(testCase, options));
  const targets: TargetCheck[] = results.map((result) => ({
    target: `own cost per run (ours − baseline) at N = ${result.tasks}, C = ${formatConcurrency(result.concurrency)}${result.layers > 1 ? `, ${result.layers} layers` : ""} ≤ 0.5 ms + 10 µs × N = ${formatMs(result.budgetMs)}`,
    measured: `${signed(formatMs(result.ownCostMs.median))} (median)`,
    pass: result.ownCostMs.median <= result.budgetMs,
  }));
  return {
    name: "overhead",
    tables: [
      {
        title: `Overhead per run = wall − critical path (every model call L = ${options.latencyMs} ms; median / p90)`,
        columns: [
          "N",
          "C",
          "DAG",
          "critical path",
          "baseline wall",
          "ours wall",
          "baseline overhead",
          "ours overhead",
          "ours − baseline",
        ],
        rows: results.map((result) => [
          String(result.tasks),
          formatConcurrency(result.concurrency),
          result.layers > 1 ? `${result.layers} layers` : "flat",
          formatMs(result.criticalPathMs),
          formatMs(result.baselineWallMs.median),
          formatMs(result.oursWallMs.median),
          `${formatMs(result.baselineOverheadMs.median)} / ${formatMs(result.baselineOverheadMs.p90)}`,
          `${formatMs(result.oursOverheadMs.median)} / ${formatMs(result.oursOverheadMs.p90)}`,
          `${signed(formatMs(result.ownCostMs.median))} / ${signed(formatMs(result.ownCostMs.p90))}`,
        ]),
        notes: [
          "critical path = plan L + waves × L + aggregate L, waves = ceil(N / C) (or the DAG's layers).",
          "Every call lasts L to within tens of µs (one shared deadline timer, precise-delay.ts): Node's own timers fire on whole ms, and that jitter (sd ≈ 1 ms per run) would drown the own cost.",
          "The baseline's overhead is AI SDK work plus what is left of timer slack; ours − baseline is what the library adds.",
          "Ours here makes the same AI SDK calls as the baseline (generateText); see pipelining for the streaming planner.",
        ],
      },
    ],
    targets,
    data: { latencyMs: options.latencyMs, cases: results },
  };
}

async function warmUp(durationMs: number): Promise<void> {
  const models = benchModels({ tasks: 50, latencyMs: 0 });
  const settings = { concurrency: 8 };
  const end = performance.now() + durationMs;
  while (performance.now() < end) {
    await baseline(models, settings);
    await ours(models, settings);
  }
}

async function measureCase(testCase: OverheadCase, options: OverheadOptions): Promise<OverheadResult> {
  const layers = testCase.layers ?? 1;
  const { tasks, concurrency } = testCase;
  const models = benchModels({ tasks, latencyMs: options.latencyMs, layers, precise: true });
  const waves = Math.max(layers, Math.ceil(tasks / concurrency));
  const criticalPathMs = (2 + waves) * options.latencyMs;
  const long = criticalPathMs > 1000;
  const settings = { concurrency };
  if (!long) {
    await baseline(models, settings);
    await ours(models, settings);
  }
  const baselineWall: number[] = [];
  const oursWall: number[] = [];
  const repetitions = long ? options.longRepetitions : options.repetitions;
  for (let repetition = 0; repetition < repetitions; repetition++) {
    // Alternate who goes first, so neither always runs on a warmer or colder machine.
    if (repetition % 2 === 0) {
      baselineWall.push(await timeMs(() => baseline(models, settings)));
      oursWall.push(await timeMs(() => ours(models, settings)));
    } else {
      oursWall.push(await timeMs(() => ours(models, settings)));
      baselineWall.push(await timeMs(() => baseline(models, settings)));
    }
  }
  return {
    tasks,
    concurrency,
    layers,
    criticalPathMs,
    baselineWallMs: summarize(baselineWall),
    oursWallMs: summarize(oursWall),
    baselineOverheadMs: summarize(baselineWall.map((wall) => wall - criticalPathMs)),
    oursOverheadMs: summarize(oursWall.map((wall) => wall - criticalPathMs)),
    ownCostMs: summarize(oursWall.map((wall, index) => wall - baselineWall[index]!)),
    budgetMs: 0.5 + 0.01 * tasks,
  };
}
