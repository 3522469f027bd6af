import { foldRun, type RunRecord, type RunStore, type RunView } from "@orchestrator-workers/core";

/**
 * A run's record and its view folded from the stored events, or `undefined` when the store has no such run or
 * it belongs to another tenant. A run reserved by the handler whose Workflow has not started yet has no events:
 * its view is `queued`, with the record's times and tenant.
 */
export async function readRunView(
  store: RunStore,
  runId: string,
  tenant: string | undefined,
): Promise<{ record: RunRecord; view: RunView } | undefined> {
  const record = await store.getRun(runId);
  if (!record || record.tenant !== tenant) return undefined;
  return { record, view: withRecord(foldRun(runId, await store.readEvents(runId)), record) };
}

/** Completes a view folded from the log with what only the record knows before `run-start`: times, tenant. */
export function withRecord(view: RunView, record: RunRecord): RunView {
  if (view.seq === 0 || view.createdAt === 0) {
    view.createdAt = record.createdAt;
    view.updatedAt = Math.max(view.updatedAt, record.updatedAt);
  }
  if (record.tenant !== undefined) view.tenant = record.tenant;
  return view;
}
