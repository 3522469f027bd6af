import { type RunEvent, type RunStore, runNotFound } from "@orchestrator-workers/core";

/** Options for {@link pollRunEvents}. */
export interface PollRunEventsOptions {
  store: RunStore;
  runId: string;
  /** Replay only events with a seq above this. */
  after: number;
  /**
   * Time between two reads of the store while nothing new arrives, in milliseconds. It grows by half on every
   * empty read, up to ten times this, and drops back when events arrive: a long, quiet stream stays within
   * D1's limit on queries per Worker invocation.
   */
  pollIntervalMs: number;
  /** Time between two liveness checks while nothing new arrives, in milliseconds. */
  reconcileIntervalMs: number;
  /** Ends the run's log if its Workflow instance is gone (see `readInstanceEnding`); called while the log is quiet. */
  reconcile: () => Promise<void>;
  signal?: AbortSignal | undefined;
}

const pageSize = 500;

/**
 * A run's stored events after `after`, then new ones as they are stored, until `run-end`: the store is polled
 * (D1 cannot push). While the log is quiet the Workflow instance is checked every `reconcileIntervalMs`, so a
 * subscription to a run whose instance died still ends, with the `run-end` that reconciliation appends.
 * Live-only `*-delta` events are not available: they never leave the Workflow's isolate.
 */
export async function* pollRunEvents(options: PollRunEventsOptions): AsyncGenerator<RunEvent> {
  const { store, runId, signal } = options;
  if (!(await store.getRun(runId))) {
    throw runNotFound(runId);
  }
  let lastSeq = options.after;
  let quietSince = Date.now();
  let interval = options.pollIntervalMs;
  while (!signal?.aborted) {
    const events = await store.readEvents(runId, { after: lastSeq, limit: pageSize });
    for (const event of events) {
      lastSeq = event.seq;
      yield event;
      if (event.type === "run-end") return;
    }
    if (events.length === pageSize) continue;
    if (events.length > 0) {
      quietSince = Date.now();
      interval = options.pollIntervalMs;
    } else if (Date.now() - quietSince >= options.reconcileIntervalMs) {
      await options.reconcile();
      quietSince = Date.now();
      continue;
    } else {
      interval = Math.min(interval * 1.5, options.pollIntervalMs * 10);
    }
    await pause(interval, signal);
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
