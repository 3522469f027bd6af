import type { CreateRunInput, RunRecord } from "./run-store.js";

/** The record of a run just created from `input`: queued, no events yet. For store implementations. */
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
