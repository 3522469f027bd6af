import type { Usage } from "../types/usage.js";

/** What every role call receives besides its input. */
export interface RoleContext {
  /** The run this call belongs to. */
  runId: string;
  /** Aborted when the call must stop: cancellation, a timeout, or a fail-fast sibling failure. Pass it on. */
  signal: AbortSignal;
  /** Streams a chunk of text output as a live `task-delta` / `aggregate-delta` event. */
  emitDelta(delta: string): void;
  /** Reports tokens spent, for roles that cannot return usage (plain function workers). Adds up. */
  reportUsage(usage: Partial<Usage>): void;
}
