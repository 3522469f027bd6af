import type { ClientProcess, SubscriberRecord } from "./http-client.js";
import { httpBenchPrompt, startFanOutServer } from "./http-servers.js";
import { collectGarbage, percentile } from "./stats.js";

/** What the fan-out benchmark measured. */
export interface FanOutResult {
  eventsPerSubscriber: number;
  completeSubscribers: number;
  heapPerSubscriber: number;
  rssPerSubscriber: number;
  latencyMs: { p50: number; p99: number; max: number; samples: number };
}

/** Options for {@link measureFanOut}. */
export interface FanOutOptions {
  /** Event streams opened on the run. */
  subscribers: number;
  /** Subtasks of the run. */
  fanOutTasks: number;
  /** How long each worker takes, in milliseconds. */
  workerMs: number;
}

/**
 * One run streamed to `subscribers` SSE clients (in the client process) over HTTP on 127.0.0.1. The run waits in
 * planning until every stream received its first event; then the server's memory is read (per open stream), the
 * run is let go, and every event's latency is taken from its `at` to its receipt by each client.
 */
export async function measureFanOut(client: ClientProcess, options: FanOutOptions): Promise<FanOutResult> {
  const server = await startFanOutServer({ tasks: options.fanOutTasks, workerMs: options.workerMs });
  try {
    const created = await fetch(`${server.url}/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ prompt: httpBenchPrompt }),
    });
    const { id } = (await created.json()) as { id: string };
    collectGarbage();
    const before = process.memoryUsage();
    const streams = client.subscribe(server.url, id, options.subscribers);
    // Observed at once, so that a failed subscription cannot leave it rejected and unhandled.
    const ended = streams.ended.then(
      (records) => ({ records }),
      (error: unknown) => ({ error }),
    );
    await streams.subscribed;
    collectGarbage();
    const after = process.memoryUsage();
    const releasedAt = Date.now();
    server.release();
    const outcome = await ended;
    if ("error" in outcome) throw outcome.error;
    const finalSeq = (await server.orchestrator.get(id))?.seq ?? Number.NaN;
    const latencies = outcome.records.flatMap((record) =>
      record.events.filter(([, at]) => at >= releasedAt).map(([, at, receivedAt]) => receivedAt - at),
    );
    return {
      eventsPerSubscriber: finalSeq,
      completeSubscribers: outcome.records.filter((record) => isComplete(record, finalSeq)).length,
      heapPerSubscriber: (after.heapUsed - before.heapUsed) / options.subscribers,
      rssPerSubscriber: (after.rss - before.rss) / options.subscribers,
      latencyMs: {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.reduce((largest, value) => Math.max(largest, value), Number.NEGATIVE_INFINITY),
        samples: latencies.length,
      },
    };
  } finally {
    await server.close();
  }
}

/** The stream answered 200, received seqs 1..finalSeq in order, and ended. */
function isComplete(record: SubscriberRecord, finalSeq: number): boolean {
  return (
    record.status === 200 &&
    record.ended &&
    record.events.length === finalSeq &&
    record.events.every(([seq], index) => seq === index + 1)
  );
}
