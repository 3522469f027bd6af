import type { RunStore } from "@orchestrator-workers/core";

/**
 * Wraps a store so that the engine can start a run whose record was reserved beforehand: the Worker's handler
 * creates the record (for the idempotency key and so that `GET` answers at once), then the Workflow starts the
 * run under the same id. `createRun` for `runId` answers `created: true` when the existing record has no
 * events yet (taking the lease it asks for); everything else goes to `store` unchanged.
 */
export function claimReservedRun(store: RunStore, runId: string): RunStore {
  const claiming: RunStore = {
    async createRun(input) {
      const result = await store.createRun(input);
      if (result.created || input.id !== runId || result.run.id !== runId || result.run.lastSeq !== 0)
        return result;
      if (input.lease && !(await store.acquireLease(runId, input.lease.owner, input.lease.ttlMs)))
        return result;
      return { run: result.run, created: true };
    },
    append: (input) => store.append(input),
    getRun: (id) => store.getRun(id),
    readEvents: (id, options) => store.readEvents(id, options),
    listRuns: (options) => store.listRuns(options),
    acquireLease: (id, owner, ttlMs) => store.acquireLease(id, owner, ttlMs),
    renewLease: (id, owner, ttlMs) => store.renewLease(id, owner, ttlMs),
    releaseLease: (id, owner) => store.releaseLease(id, owner),
    findExpiredLeases: (options) => store.findExpiredLeases(options),
    deleteRuns: (options) => store.deleteRuns(options),
  };
  if (store.setup) claiming.setup = () => store.setup!();
  if (store.subscribe) claiming.subscribe = (id, after, listener) => store.subscribe!(id, after, listener);
  return claiming;
}
