import type { RunStore } from "../store/run-store.js";
import type { PersistedRunEvent, RunEvent } from "../types/run-event.js";
import { isLiveOnlyEvent } from "../types/run-event.js";
import { AsyncQueue } from "./async-queue.js";
import { runNotFound } from "./read-run.js";

/** A source of live events for runs executing in this process. */
export interface LiveEvents {
  /**
   * Registers a listener for a run executing here; answers an unsubscribe function, or undefined if it is not
   * here. `deltas` says whether the listener wants live deltas (model roles stream only when someone does).
   */
  listen(runId: string, listener: (event: RunEvent) => void, deltas: boolean): (() => void) | undefined;
}

/** Options for {@link subscribeRun}. */
export interface SubscribeRunOptions {
  store: RunStore;
  live: LiveEvents;
  runId: string;
  after: number;
  deltas: boolean;
  pollIntervalMs: number;
  signal?: AbortSignal;
}

/**
 * Replays a run's stored events after `after`, then tails new ones until `run-end`: from this process's own
 * emitter when it executes the run (deltas included), else from the store's push `subscribe`, else by polling.
 * The live source is attached before the replay is read, and events are de-duplicated by seq, so nothing is
 * missed or repeated at the seam.
 */
export async function* subscribeRun(options: SubscribeRunOptions): AsyncGenerator<RunEvent> {
  const { store, runId, signal } = options;
  let lastSeq = options.after;
  let ended = false;
  const cleanups: Array<() => void> = [];
  const queue = new AsyncQueue<RunEvent>(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  const onAbort = () => queue.end();
  signal?.addEventListener("abort", onAbort, { once: true });
  cleanups.push(() => signal?.removeEventListener("abort", onAbort));

  const accept = (event: RunEvent) => {
    if (ended) return;
    if (isLiveOnlyEvent(event)) {
      if (options.deltas && event.seq <= lastSeq) queue.push(event);
      return;
    }
    if (event.seq !== lastSeq + 1) {
      // A gap (events arrived before the replay caught up): they are re-read from the store.
      return;
    }
    lastSeq = event.seq;
    queue.push(event);
    if (event.type === "run-end") {
      ended = true;
      queue.end();
    }
  };

  try {
    if (signal?.aborted) return;
    const record = await store.getRun(runId);
    if (!record) throw runNotFound(runId);
    const stopLive = options.live.listen(
      runId,
      (event) => {
        if (!isLiveOnlyEvent(event) && event.seq > lastSeq + 1) void catchUp();
        accept(event);
      },
      options.deltas,
    );
    if (stopLive) cleanups.push(stopLive);
    else if (store.subscribe) cleanups.push(store.subscribe(runId, lastSeq, (events) => deliver(events)));
    else startPolling();

    await catchUp();
    for await (const event of queue) yield event;
  } finally {
    queue.end();
  }

  function deliver(events: PersistedRunEvent[]): void {
    for (const event of events) {
      if (event.seq > lastSeq + 1) {
        void catchUp();
        return;
      }
      accept(event);
    }
  }

  async function catchUp(): Promise<void> {
    try {
      const events = await store.readEvents(runId, { after: lastSeq });
      for (const event of events) accept(event);
    } catch (error) {
      queue.fail(error);
    }
  }

  function startPolling(): void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const tick = async () => {
      await catchUp();
      if (!stopped && !ended) timer = setTimeout(tick, options.pollIntervalMs);
    };
    timer = setTimeout(tick, options.pollIntervalMs);
    cleanups.push(() => {
      stopped = true;
      if (timer) clearTimeout(timer);
    });
  }
}
