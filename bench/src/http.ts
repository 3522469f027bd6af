import { type ClientProcess, startClientProcess } from "./http-client.js";
import { measureFanOut } from "./http-fan-out.js";
import {
  type BenchServer,
  startBareServer,
  startHandWrittenServer,
  startOursServer,
} from "./http-servers.js";
import { formatBytes, formatMs, formatUs, type ScenarioReport } from "./report.js";
import { collectGarbage, type Summary, summarize } from "./stats.js";

/** Options for {@link runHttp}. */
export interface HttpOptions {
  /** Samples per contender of the request benchmark. */
  samples: number;
  /** Length of each sample, in milliseconds. */
  sampleMs: number;
  /** Keep-alive connections the client keeps busy, each doing POST then GET in a loop. */
  lanes: number;
  /** Event streams opened on the one run of the fan-out benchmark. */
  subscribers: number;
  /** Subtasks of that run. */
  fanOutTasks: number;
  /** How long each of its workers takes, in milliseconds, so that its events are spread out in time. */
  workerMs: number;
}

/** The configurations `pnpm bench` runs. */
export const httpPresets: Record<"full" | "quick", HttpOptions> = {
  full: { samples: 5, sampleMs: 2_000, lanes: 16, subscribers: 1_000, fanOutTasks: 10, workerMs: 20 },
  quick: { samples: 1, sampleMs: 300, lanes: 8, subscribers: 100, fanOutTasks: 4, workerMs: 10 },
};

type RequestContender = "bare" | "hand-written" | "ours";

const requestContenders: Record<RequestContender, { label: string; start: () => Promise<BenchServer> }> = {
  bare: { label: "bare Express route (same JSON work, no runs)", start: startBareServer },
  "hand-written": { label: "hand-written routes, same orchestrator", start: startHandWrittenServer },
  ours: { label: "ours (createExpressHandler)", start: startOursServer },
};

const contenderOrder: RequestContender[] = ["bare", "hand-written", "ours"];

/** Pairs per second and server CPU per pair of one contender. */
interface RequestMeasurement {
  pairsPerSecond: Summary;
  /** CPU time (user + system) of this process, the server, per POST + GET pair, in microseconds. */
  cpuPerPairUs: Summary;
}

/**
 * The HTTP layer, over real connections on 127.0.0.1, with the client in a forked process so this process is
 * the server alone: (1) POST + GET pairs per second through the Express adapter, with zero-latency roles,
 * against a bare Express route doing the same JSON work (the ratio) and against hand-written Express
 * routes around the same orchestrator (what the adapter itself costs); (2) one run streamed to many SSE
 * subscribers: server memory per open stream, and the latency from each event's `at` to its receipt.
 */
export async function runHttp(options: HttpOptions): Promise<ScenarioReport> {
  const client = await startClientProcess();
  try {
    // The fan-out first, while the process is fresh: its rss delta is then not hidden by memory the request
    // benchmark allocated and freed.
    const fanOut = await measureFanOut(client, options);
    const requests = await measureRequests(client, options);
    const ratio = requests.ours.pairsPerSecond.median / requests.bare.pairsPerSecond.median;
    const adapterRatio = requests.ours.pairsPerSecond.median / requests["hand-written"].pairsPerSecond.median;
    const rate = (summary: Summary) => `${summary.median.toFixed(0)} / ${summary.p90.toFixed(0)}`;
    return {
      name: "http",
      tables: [
        {
          title: `POST + GET pairs per second through Express, L = 0 (${options.lanes} keep-alive connections from a separate client process; median / p90 of ${options.samples} samples of ${options.sampleMs} ms)`,
          columns: ["contender", "pairs/s", "× bare", "× hand-written", "server CPU / pair"],
          rows: contenderOrder.map((name) => [
            requestContenders[name].label,
            rate(requests[name].pairsPerSecond),
            (requests[name].pairsPerSecond.median / requests.bare.pairsPerSecond.median).toFixed(2),
            (requests[name].pairsPerSecond.median / requests["hand-written"].pairsPerSecond.median).toFixed(
              2,
            ),
            formatUs(requests[name].cpuPerPairUs.median),
          ]),
          notes: [
            "zero-latency roles: a plan of 3, workers and aggregator answering at once; each POST creates and executes a run on the memory store.",
            "bare: express.json(), a UUID, copies of the views ours answers (run started; run finished) in a Map: the same JSON, no run executed.",
            "hand-written: express.json(), orchestrator.start() + get(), response.json(): the same runs, without the adapter.",
            "server CPU / pair: user + system CPU of the server process per POST + GET, less sensitive to a busy machine than pairs/s.",
          ],
        },
        {
          title: `One run (${options.fanOutTasks} subtasks of ${options.workerMs} ms) streamed to ${options.subscribers} SSE subscribers over HTTP on 127.0.0.1`,
          columns: [
            "subscribers",
            "events each",
            "complete",
            "heap / sub",
            "rss / sub",
            "latency p50",
            "p99",
            "max",
          ],
          rows: [
            [
              String(options.subscribers),
              String(fanOut.eventsPerSubscriber),
              `${fanOut.completeSubscribers} / ${options.subscribers}`,
              formatBytes(fanOut.heapPerSubscriber),
              formatBytes(fanOut.rssPerSubscriber),
              formatMs(fanOut.latencyMs.p50),
              formatMs(fanOut.latencyMs.p99),
              formatMs(fanOut.latencyMs.max),
            ],
          ],
          notes: [
            "memory: the server process's heapUsed and rss with every stream open and idle, minus before, after a GC, per stream.",
            "latency: receipt time at the client minus the event's `at`, for every event after the run was let go (ms clock).",
          ],
        },
      ],
      targets: [
        {
          target:
            "POST + GET through the Express adapter ≥ 0.8 × a bare Express route doing the same JSON work",
          measured: `${ratio.toFixed(2)} ×`,
          pass: ratio >= 0.8,
        },
        {
          target: `every one of ${options.subscribers} SSE subscribers receives every event in order, then the stream ends`,
          measured: `${fanOut.completeSubscribers} / ${options.subscribers}`,
          pass: fanOut.completeSubscribers === options.subscribers,
        },
      ],
      data: { ...options, requests, ratio, adapterRatio, fanOut },
    };
  } finally {
    await client.close();
  }
}

/** Alternating samples of each contender, each on a fresh server, after one warm-up sample each. */
async function measureRequests(
  client: ClientProcess,
  options: HttpOptions,
): Promise<Record<RequestContender, RequestMeasurement>> {
  const rates = new Map<RequestContender, number[]>(contenderOrder.map((name) => [name, []]));
  const cpu = new Map<RequestContender, number[]>(contenderOrder.map((name) => [name, []]));
  for (let sample = -1; sample < options.samples; sample++) {
    for (const name of sample % 2 === 0 ? contenderOrder : [...contenderOrder].reverse()) {
      const server = await requestContenders[name].start();
      collectGarbage();
      const cpuBefore = process.cpuUsage();
      const result = await client.load(server.url, sample < 0 ? 300 : options.sampleMs, options.lanes);
      const cpuUsed = process.cpuUsage(cpuBefore);
      await server.close();
      if (result.failures > 0) throw new Error(`${name}: ${result.failures} POST + GET pairs failed.`);
      if (sample < 0) continue;
      rates.get(name)!.push(result.pairs / (result.elapsedMs / 1000));
      cpu.get(name)!.push((cpuUsed.user + cpuUsed.system) / result.pairs);
    }
  }
  const measure = (name: RequestContender): RequestMeasurement => ({
    pairsPerSecond: summarize(rates.get(name)!),
    cpuPerPairUs: summarize(cpu.get(name)!),
  });
  return { bare: measure("bare"), "hand-written": measure("hand-written"), ours: measure("ours") };
}
