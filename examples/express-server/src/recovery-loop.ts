import type { Orchestrator } from "@orchestrator-workers/core";

/** Options for {@link startRecoveryLoop}. */
export interface RecoveryLoopOptions {
  /** How often to look for runs whose owner's lease expired, in milliseconds. */
  intervalMs: number;
  /** Called with the ids of the runs each pass resumed, when there are any. */
  onResumed: (runIds: string[]) => void;
  /** Called when a pass fails (a store outage, say); the loop keeps going. */
  onError: (error: unknown) => void;
}

/**
 * Calls `orchestrator.recover()` every `intervalMs`, so that the runs of a server that died (another instance
 * sharing the store, or this one before a restart) are resumed once their lease expires, not only at start-up.
 * Passes never overlap. Answers a function that stops the loop.
 */
export function startRecoveryLoop(orchestrator: Orchestrator, options: RecoveryLoopOptions): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const resumed = await orchestrator.recover();
      if (resumed.length > 0) options.onResumed(resumed);
    } catch (error) {
      options.onError(error);
    } finally {
      running = false;
    }
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
