import { availableParallelism, cpus, loadavg, platform, release } from "node:os";
import { fileURLToPath } from "node:url";
import { cpuPresets, runCpu } from "./cpu.js";
import { growthPresets, runGrowth } from "./growth.js";
import { heapPresets, runHeap } from "./heap.js";
import { httpPresets, runHttp } from "./http.js";
import { overheadPresets, runOverhead } from "./overhead.js";
import { pipeliningPresets, runPipelining } from "./pipelining.js";
import { renderScenario, renderSummary, type ScenarioReport, writeResults } from "./report.js";
import { collectGarbage } from "./stats.js";
import { runStores, storesPresets } from "./stores.js";
import { runThroughput, throughputPresets } from "./throughput.js";

type Preset = "full" | "quick";

/** Every scenario, in the order `pnpm bench` runs them. */
const scenarios: Record<string, (preset: Preset) => Promise<ScenarioReport>> = {
  overhead: (preset) => runOverhead(overheadPresets[preset]),
  cpu: (preset) => runCpu(cpuPresets[preset]),
  heap: (preset) => runHeap(heapPresets[preset]),
  throughput: (preset) => runThroughput(throughputPresets[preset]),
  growth: (preset) => runGrowth(growthPresets[preset]),
  pipelining: (preset) => runPipelining(pipeliningPresets[preset]),
  http: (preset) => runHttp(httpPresets[preset]),
  stores: (preset) => runStores(storesPresets[preset]),
};

const usage = `pnpm bench [--quick] [--only <name>[,<name>...]] [--out <file>]

  --quick   small sizes and few repetitions: a smoke run of a few seconds, not figures to quote
  --only    run only these scenarios: ${Object.keys(scenarios).join(", ")}
  --out     write the JSON results here (default: results/latest.json, for a full run of every scenario only)`;

interface Args {
  quick: boolean;
  only: string[] | undefined;
  out: string | undefined;
  help: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, only: undefined, out: undefined, help: false };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === "--") continue;
    if (arg === "--quick") args.quick = true;
    else if (arg === "--help" || arg === "-h") args.help = true;
    else if (arg === "--only" || arg === "--out") {
      const value = argv[++index];
      if (value === undefined) throw new Error(`${arg} needs a value.`);
      if (arg === "--out") args.out = value;
      else args.only = [...(args.only ?? []), ...value.split(",").filter((name) => name !== "")];
    } else throw new Error(`Unknown argument ${JSON.stringify(arg)}.\n\n${usage}`);
  }
  for (const name of args.only ?? []) {
    if (!(name in scenarios)) {
      throw new Error(
        `Unknown scenario ${JSON.stringify(name)}; expected one of ${Object.keys(scenarios).join(", ")}.`,
      );
    }
  }
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(usage);
    return 0;
  }
  const preset: Preset = args.quick ? "quick" : "full";
  const names = args.only ?? Object.keys(scenarios);
  const gc = collectGarbage();
  const machine = {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? "unknown",
    node: process.version,
    platform: `${platform()} ${release()}`,
    /** The 1-minute load average before and after: other processes on the machine disturb wall times. */
    loadBefore: loadavg()[0]!,
    loadAfter: Number.NaN,
  };
  // `pnpm bench` runs core from its TypeScript sources through tsx; `start:dist` runs the build (`pnpm build`).
  const core = import.meta.resolve("@orchestrator-workers/core").includes("/src/")
    ? "TypeScript sources through tsx (esbuild keepNames wraps every closure in __name)"
    : "the build in packages/core/dist";
  const startedAt = new Date();
  const busy = machine.loadBefore > 0.5 ? " — the machine is busy: expect noisier wall times" : "";
  console.log(
    `orchestrator-workers bench (${preset}) — ${startedAt.toISOString()}\n` +
      `machine: ${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}, ${machine.platform}\n` +
      `load average (1 min): ${machine.loadBefore.toFixed(2)}${busy}\n` +
      `core: ${core}` +
      `${gc ? "" : "\nwarning: global.gc is not available; run with --expose-gc (pnpm bench does)"}\n` +
      "Models: AI SDK MockLanguageModelV4 with a fixed simulated latency; ours uses the memory store.\n",
  );
  const reports: ScenarioReport[] = [];
  const started = performance.now();
  for (const name of names) {
    const scenarioStart = performance.now();
    const report = await scenarios[name]!(preset);
    reports.push(report);
    const seconds = ((performance.now() - scenarioStart) / 1000).toFixed(1);
    console.log(`${renderScenario(report)}\n  (${name}: ${seconds} s)\n`);
  }
  console.log(renderSummary(reports));
  const totalSeconds = (performance.now() - started) / 1000;
  machine.loadAfter = loadavg()[0]!;
  console.log(
    `\nTotal ${totalSeconds.toFixed(0)} s; load average (1 min) at the end: ${machine.loadAfter.toFixed(2)}.`,
  );
  const out =
    args.out ??
    (!args.quick && args.only === undefined
      ? fileURLToPath(new URL("../results/latest.json", import.meta.url))
      : undefined);
  if (out !== undefined) {
    writeResults(out, { date: startedAt.toISOString(), preset, machine, core, totalSeconds }, reports);
    console.log(`Results written to ${out}.`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
