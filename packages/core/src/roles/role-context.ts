import type { Usage } from "../types/usage.js";

/** What every role call receives besides its input. */
export interface RoleContext {
  /** The run this call belongs to. */
  runId: string;
  /** Aborted when the call must stop: cancellation, a timeout, or a fail-fast sibling failure. Pass it on. */
  signal: AbortSignal;
  /**
   * Whether anyone listens to deltas right now (an `onEvent` callback, an `events` listener, a subscriber).
   * Model roles stream only then, unless their `stream` option says otherwise: streaming costs more than a
   * plain call, and nobody would see the chunks.
   */
  readonly deltasWanted: boolean;
  /** Streams a chunk of text output as a live `task-delta` / `aggregate-delta` event. */
  emitDelta(delta: string): void;
  /** Reports tokens spent, for roles that cannot return usage (plain function workers). Adds up. */
  reportUsage(usage: Partial<Usage>): void;
}
