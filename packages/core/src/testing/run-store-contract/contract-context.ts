import type { RunStore } from "../../store/run-store.js";

/** What each group of contract cases gets from {@link runStoreContract}. Internal to the suite. */
export interface ContractContext {
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
