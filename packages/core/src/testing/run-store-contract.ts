import type { RunStore } from "../store/run-store.js";
import { appendCases } from "./run-store-contract/append-cases.js";
import type { ContractContext, ContractTestApi } from "./run-store-contract/contract-context.js";
import { createRunCases } from "./run-store-contract/create-run-cases.js";
import { leaseCases } from "./run-store-contract/lease-cases.js";
import { listRunsCases } from "./run-store-contract/list-runs-cases.js";
import { payloadCases } from "./run-store-contract/payload-cases.js";
import { retentionCases } from "./run-store-contract/retention-cases.js";
import { setupCases } from "./run-store-contract/setup-cases.js";
import { subscribeCases } from "./run-store-contract/subscribe-cases.js";

/** A store under test, as a {@link runStoreContract} factory answers it. */
export interface RunStoreFixture {
  /** A store that holds no runs yet and shares none with the stores of earlier calls. */
  store: RunStore;
  /** Closes the store and deletes what it wrote (keys, schema, file). Runs after each test. */
  cleanup?: () => Promise<void>;
  /**
   * Opens another instance of the same store on the same backend (another client, pool or database handle),
   * so that the suite can check that writes through one are seen, raced and pushed through the other. Its
   * `cleanup` should close that instance only. Omit it when the data lives in the instance (memory).
   */
  secondInstance?: () => Promise<RunStoreFixture> | RunStoreFixture;
}

export type { ContractTestApi } from "./run-store-contract/contract-context.js";

/** Options for {@link runStoreContract}. */
export interface RunStoreContractOptions {
  /** vitest's test functions: `import * as vitest from "vitest"` and pass `vitest`. */
  vitest: ContractTestApi;
  /** Time limit for each test, in milliseconds. @default 30_000 */
  timeoutMs?: number;
}

/**
 * Registers the conformance suite every {@link RunStore} passes, as a vitest `describe` block; call it at the
 * top level of a test file. `factory` runs before each test and must answer an empty store. Optional
 * capabilities are detected, never assumed from the name: the `subscribe` cases run when the store has a
 * `subscribe` method, the cross-instance cases when the fixture has `secondInstance`, and are reported as
 * skipped otherwise. Lease cases use real time with short ttls (about 50 ms) and sleep a few hundred ms.
 *
 * @example
 * import * as vitest from "vitest";
 * runStoreContract("sqlite", () => {
 *   const store = sqliteStore({ path: ":memory:" });
 *   return { store, cleanup: () => store.close() };
 * }, { vitest });
 */
export function runStoreContract(
  name: string,
  factory: () => Promise<RunStoreFixture> | RunStoreFixture,
  options: RunStoreContractOptions,
): void {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const { describe, it, expect, beforeEach, afterEach } = options.vitest;

  describe(`RunStore contract: ${name}`, () => {
    let fixture: RunStoreFixture | undefined;
    const secondFixtures: RunStoreFixture[] = [];

    beforeEach(async () => {
      fixture = await factory();
    }, timeoutMs);

    afterEach(async () => {
      for (const second of secondFixtures.splice(0)) await second.cleanup?.();
      await fixture?.cleanup?.();
      fixture = undefined;
    }, timeoutMs);

    const context: ContractContext = {
      expect,
      get store() {
        if (!fixture) throw new Error("runStoreContract: the store is only available inside a test");
        return fixture.store;
      },
      async secondInstance() {
        if (!fixture?.secondInstance) return undefined;
        const second = await fixture.secondInstance();
        secondFixtures.push(second);
        return second.store;
      },
      test(testName, body) {
        it(testName, (testContext) => body({ skip: (note) => testContext.skip(note) }), timeoutMs);
      },
    };

    setupCases(context);
    createRunCases(context);
    appendCases(context);
    payloadCases(context);
    listRunsCases(context);
    leaseCases(context);
    retentionCases(context);
    subscribeCases(context);
  });
}
