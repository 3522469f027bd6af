import type { RunRecord, RunStatus } from "@orchestrator-workers/core";

/** A row of the `runs` table, as `pg` answers it (bigint columns arrive as strings). */
export interface RunRow {
  id: string;
  tenant: string | null;
  idempotency_key: string | null;
  fingerprint: string | null;
  status: string;
  last_seq: number;
  created_at: string;
  updated_at: string;
}

/** The {@link RunRecord} of a `runs` row; optional fields are absent, not `undefined`, when NULL. */
export function toRunRecord(row: RunRow): RunRecord {
  const record: RunRecord = {
    id: row.id,
    status: row.status as RunStatus,
    lastSeq: row.last_seq,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
  if (row.tenant !== null) record.tenant = row.tenant;
  if (row.idempotency_key !== null) record.idempotencyKey = row.idempotency_key;
  if (row.fingerprint !== null) record.fingerprint = row.fingerprint;
  return record;
}
