import type { RunRecord, RunStatus } from "@orchestrator-workers/core";

/** A row of the `runs` table, as `node:sqlite` answers it. */
export type RunRow = Record<string, unknown>;

/** The {@link RunRecord} of a `runs` row; optional fields are absent, not `undefined`, when NULL. */
export function toRunRecord(row: RunRow): RunRecord {
  const record: RunRecord = {
    id: String(row.id),
    status: row.status as RunStatus,
    lastSeq: Number(row.last_seq),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
  if (row.tenant !== null) record.tenant = String(row.tenant);
  if (row.idempotency_key !== null) record.idempotencyKey = String(row.idempotency_key);
  if (row.fingerprint !== null) record.fingerprint = String(row.fingerprint);
  return record;
}
