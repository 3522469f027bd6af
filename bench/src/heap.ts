import { baselineRun } from "./baseline.js";
import {
  benchPrompt,
  type ContenderName,
  checkOurs,
  contenderLabels,
  sharedOrchestrator,
} from "./contenders.js";
import { type BenchModels, benchModels } from "./mock-models.js";
import { formatBytes, type ScenarioReport, signed } from "./report.js";
import { measureSdkCallHeap } from "./sdk-call-cost.js";
import { collectGarbage, type Summary, summarize } from "./stats.js";

/** Options for {@link runHeap}. */
export interface HeapOptions {
  /** Runs in flight at once. */
  runs: number;
  /** Subtasks per run. */
  tasks: number;
  /** Latency of every model call, in milliseconds. */
  latencyMs: number;
  /** Repetitions per contender. */
  repetitions: number;
  /** Pending calls for the reference measurement of single AI SDK calls (see `measureSdkCallHeap`). */
  sdkCalls: number;
}

/** The configurations `pnpm bench` runs. */
export const heapPresets: Record<"full" | "quick", HeapOptions> = {
  full: { runs: 1000, tasks: 10, latencyMs: 200, repetitions: 5, sdkCalls: 2_000 },
  quick: { runs: 50, tasks: 5, latencyMs: 20, repetitions: 1, sdkCalls: 200 },
};

const order: ContenderName[] = ["baseline", "ours", "ours-generate"];

/** Heap of one contender with every run in flight. */
export interface HeapMeasurement {
  contender: ContenderName;
  /** heapUsed (after a full GC) with every run in flight, minus before, divided by runs. */
  bytesPerRun: Summary;
  /** The same per pending subtask (runs × N of them). */
  bytesPerPendingSubtask: number;
  /** Per pending subtask, minus the baseline's (medians). */
  ownBytesPerPendingSubtask: number;
}

/**
 * Heap per in-flight run: `runs` runs started at once, each with N subtasks all in flight (C = ∞). Worker calls
 * take at least `latencyMs` and are held until the measurement, so that every run is measured in flight even on
 * a slow machine: heapUsed after `global.gc()` at that moment, minus heapUsed before, divided by runs.
 */
export async function runHeap(options: HeapOptions): Promise<ScenarioReport> {
  const bytes = new Map<ContenderName, number[]>(order.map((name) => [name, []]));
  let gcAvailable = true;
  for (let repetition = 0; repetition < options.repetitions; repetition++) {
    for (const name of repetition % 2 === 0 ? order : [...order].reverse()) {
      const measured = await measureOnce(name, options);
      gcAvailable &&= measured.gc;
      bytes.get(name)!.push(measured.bytesPerRun);
    }
  }
  const baselinePerSubtask = summarize(bytes.get("baseline")!).median / options.tasks;
  const measurements: HeapMeasurement[] = order.map((name) => {
    const perRun = summarize(bytes.get(name)!);
    return {
      contender: name,
      bytesPerRun: perRun,
      bytesPerPendingSubtask: perRun.median / options.tasks,
      ownBytesPerPendingSubtask: perRun.median / options.tasks - baselinePerSubtask,
    };
  });
  const sdkCalls = await measureSdkCallHeap({ calls: options.sdkCalls });
  const oursMeasurement = measurements.find((measurement) => measurement.contender === "ours-generate")!;
  return {
    name: "heap",
    tables: [
      {
        title: `Heap per in-flight run: ${options.runs} concurrent runs, N = ${options.tasks}, L = ${options.latencyMs} ms, C = ∞ (median of ${options.repetitions})`,
        columns: ["contender", "per run", "per pending subtask", "− baseline per pending subtask"],
        rows: measurements.map((measurement) => [
          contenderLabels[measurement.contender],
          formatBytes(measurement.bytesPerRun.median),
          formatBytes(measurement.bytesPerPendingSubtask),
          measurement.contender === "baseline"
            ? ""
            : signed(formatBytes(measurement.ownBytesPerPendingSubtask)),
        ]),
        notes: gcAvailable
          ? ["heapUsed after global.gc(), with every worker call of every run pending."]
          : ["global.gc is not available (run with --expose-gc): figures include garbage."],
      },
      {
        title: `Reference: heap per pending AI SDK call on the same mock model, nothing around it (${options.sdkCalls} calls)`,
        columns: ["call", "per pending call"],
        rows: sdkCalls.map((call) => [call.call, formatBytes(call.bytesPerPendingCall)]),
        notes: [
          "The baseline's workers call generateText; so do ours unless someone listens to deltas (then streamText).",
        ],
      },
    ],
    targets: [
      {
        target: "heap per pending subtask ≤ baseline + 2 KB",
        measured: `${signed(formatBytes(oursMeasurement.ownBytesPerPendingSubtask))} (${formatBytes(oursMeasurement.bytesPerPendingSubtask)} vs ${formatBytes(baselinePerSubtask)})`,
        pass: oursMeasurement.ownBytesPerPendingSubtask <= 2048,
      },
    ],
    data: { ...options, concurrency: Number.POSITIVE_INFINITY, gcAvailable, measurements, sdkCalls },
  };
}

async function measureOnce(
  name: ContenderName,
  options: HeapOptions,
): Promise<{ bytesPerRun: number; gc: boolean }> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let holding = true;
  const models = benchModels({
    tasks: options.tasks,
    latencyMs: options.latencyMs,
    holdWorkers: () => (holding ? gate : undefined),
  });
  const pending = options.runs * options.tasks;
  let allInFlight!: () => void;
  const inFlight = new Promise<void>((resolve) => {
    allInFlight = resolve;
  });
  models.workers.onActive = (active) => {
    if (active === pending) allInFlight();
  };
  const start = starter(name, models);
  const gc = collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const runs: Promise<void>[] = [];
  for (let index = 0; index < options.runs; index++) runs.push(start());
  let ended = false;
  const finished = Promise.all(runs).then(() => {
    ended = true;
  });
  await Promise.race([inFlight, finished]);
  if (ended) throw new Error(`Every ${name} run ended before all ${pending} subtasks were in flight.`);
  collectGarbage();
  const during = process.memoryUsage().heapUsed;
  holding = false;
  release();
  await finished;
  return { bytesPerRun: (during - before) / options.runs, gc };
}

function starter(name: ContenderName, models: BenchModels): () => Promise<void> {
  const settings = { concurrency: Number.POSITIVE_INFINITY, maxSubtasks: models.plan.length };
  if (name === "baseline") {
    return async () => {
      await baselineRun({ prompt: benchPrompt, ...models, ...settings });
    };
  }
  const orchestrator = sharedOrchestrator(models, name === "ours");
  return async () => checkOurs(await orchestrator.run(benchPrompt, settings), models);
}
