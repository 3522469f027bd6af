import type { RunRecord, RunStatus } from "@orchestrator-workers/core";

/** The hash fields of a new run, as `HSET` arguments: optional ones only when set. */
export function runHashFields(record: RunRecord): string[] {
  const fields = [
    "id",
    record.id,
    "status",
    record.status,
    "lastSeq",
    String(record.lastSeq),
    "createdAt",
    String(record.createdAt),
    "updatedAt",
    String(record.updatedAt),
  ];
  if (record.tenant !== undefined) fields.push("tenant", record.tenant);
  if (record.idempotencyKey !== undefined) fields.push("idempotencyKey", record.idempotencyKey);
  if (record.fingerprint !== undefined) fields.push("fingerprint", record.fingerprint);
  return fields;
}

/** The {@link RunRecord} of a run hash, or `undefined` for an empty one (no such run). */
export function toRunRecord(hash: Record<string, string>): RunRecord | undefined {
  if (hash.id === undefined) return undefined;
  const record: RunRecord = {
    id: hash.id,
    status: hash.status as RunStatus,
    lastSeq: Number(hash.lastSeq),
    createdAt: Number(hash.createdAt),
    updatedAt: Number(hash.updatedAt),
  };
  if (hash.tenant !== undefined) record.tenant = hash.tenant;
  if (hash.idempotencyKey !== undefined) record.idempotencyKey = hash.idempotencyKey;
  if (hash.fingerprint !== undefined) record.fingerprint = hash.fingerprint;
  return record;
}
