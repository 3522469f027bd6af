import { OrchestrateError, type RunStore } from "@orchestrator-workers/core";

const setups = new WeakMap<RunStore, Promise<void>>();

/**
 * Runs `store.setup()` once per store object (per isolate), so that a fresh database is migrated on first use
 * without a manual step. A failed setup is retried by the next call; its error is `STORE_UNAVAILABLE`.
 */
export function setupOnce(store: RunStore): Promise<void> {
  let setup = setups.get(store);
  if (!setup) {
    setup = Promise.resolve()
      .then(() => store.setup?.())
      .catch((error: unknown) => {
        setups.delete(store);
        throw OrchestrateError.isInstance(error)
          ? error
          : new OrchestrateError({
              code: "STORE_UNAVAILABLE",
              message: `Setting up the run store failed: ${error instanceof Error ? error.message : String(error)}`,
              cause: error,
            });
      });
    setups.set(store, setup);
  }
  return setup;
}
