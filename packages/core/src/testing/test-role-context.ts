import type { RoleContext } from "../roles/role-context.js";
import type { Usage } from "../types/usage.js";

/** Options for {@link testRoleContext}. */
export interface TestRoleContextOptions {
  /** The run id the role sees. @default "test-run" */
  runId?: string;
  /** The signal the role sees. @default the signal of the returned `controller` */
  signal?: AbortSignal;
  /** What `context.deltasWanted` says (model roles stream when it is true). @default true */
  deltasWanted?: boolean;
}

/** A {@link RoleContext} that records what the role emitted, for testing a role on its own. */
export interface TestRoleContext extends RoleContext {
  /** Every delta passed to `emitDelta`, in order. */
  deltas: string[];
  /** Every usage passed to `reportUsage`, in order. */
  reportedUsage: Partial<Usage>[];
  /** Aborts `signal` (when no other signal was given). */
  controller: AbortController;
}

/** Creates a {@link RoleContext} for calling a planner, worker or aggregator directly in a test. */
export function testRoleContext(options: TestRoleContextOptions = {}): TestRoleContext {
  const controller = new AbortController();
  const deltas: string[] = [];
  const reportedUsage: Partial<Usage>[] = [];
  return {
    runId: options.runId ?? "test-run",
    signal: options.signal ?? controller.signal,
    controller,
    deltasWanted: options.deltasWanted ?? true,
    deltas,
    reportedUsage,
    emitDelta: (delta) => deltas.push(delta),
    reportUsage: (usage) => reportedUsage.push(usage),
  };
}
