import type * as Vitest from "vitest";
import type { RunStore } from "../../store/run-store.js";

/**
 * The test functions the suite registers its cases with: pass vitest's (`import * as vitest from "vitest"`).
 * Injected rather than imported so that `@orchestrator-workers/core/testing` (scripted models, used in apps and
 * in Workers) never loads a test framework at runtime.
 */
export type ContractTestApi = Pick<typeof Vitest, "describe" | "it" | "expect" | "beforeEach" | "afterEach">;

/** What each group of contract cases gets from {@link runStoreContract}. Internal to the suite. */
export interface ContractContext {
  /** vitest's `expect`. */
  readonly expect: ContractTestApi["expect"];
  /** The store under test: a fresh, empty one for every test. */
  readonly store: RunStore;
  /**
   * Opens another instance of the store on the same backend, closed after the test. `undefined` when the
   * factory cannot open one (the memory store).
   */
  secondInstance(): Promise<RunStore | undefined>;
  /** Registers a test with the suite's time limit. */
  test(name: string, body: (context: { skip: (note: string) => never }) => Promise<void>): void;
}
