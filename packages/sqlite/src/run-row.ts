import type { CreateRunInput, RunRecord, RunStatus } from "@orchestrator-workers/core";

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

/** The record of a run just created from `input`: queued, no events yet. */
export function newRunRecord(input: CreateRunInput): RunRecord {
  const record: RunRecord = {
    id: input.id,
    status: "queued",
    lastSeq: 0,
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
  };
  if (input.tenant !== undefined) record.tenant = input.tenant;
  if (input.idempotencyKey !== undefined) record.idempotencyKey = input.idempotencyKey;
  if (input.fingerprint !== undefined) record.fingerprint = input.fingerprint;
  return record;
}
