import {
  decodeCursor,
  encodeCursor,
  type ListRunsOptions,
  type RunPage,
  type RunRecord,
} from "@orchestrator-workers/core";
import type { Redis } from "ioredis";
import type { RedisKeys } from "./redis-keys.js";
import { toRunRecord } from "./run-hash.js";

/**
 * One page of {@link ListRunsOptions}: walks the tenant's sorted set from the cursor's createdAt down, in
 * chunks, reading the hashes of each chunk in one pipeline and keeping the runs below the cursor that pass the
 * status filter. Members with equal scores come in descending id order, which is the listing's tie-break.
 */
export async function listRuns(client: Redis, keys: RedisKeys, options: ListRunsOptions): Promise<RunPage> {
  const cursor = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  if (options.limit <= 0) return { runs: [] };
  const index = keys.runsOf(options.tenant);
  const chunk = Math.max(options.limit + 1, 32);
  const runs: RunRecord[] = [];
  let offset = 0;
  for (;;) {
    const ids = await client.zrange(
      index,
      cursor === undefined ? "+inf" : String(cursor.createdAt),
      "-inf",
      "BYSCORE",
      "REV",
      "LIMIT",
      offset,
      chunk,
    );
    offset += ids.length;
    const pipeline = client.pipeline();
    for (const id of ids) pipeline.hgetall(keys.run(id));
    const hashes = (await pipeline.exec()) ?? [];
    for (const [error, hash] of hashes) {
      if (error) throw error;
      const record = toRunRecord(hash as Record<string, string>);
      if (!record) continue;
      if (cursor && !isBelow(record, cursor)) continue;
      if (options.status && !options.status.includes(record.status)) continue;
      if (runs.length === options.limit) {
        // A run beyond the page exists: the page gets a cursor.
        const last = runs[runs.length - 1]!;
        return { runs, nextCursor: encodeCursor({ createdAt: last.createdAt, id: last.id }) };
      }
      runs.push(record);
    }
    if (ids.length < chunk) return { runs };
  }
}

/** Whether a run comes after the cursor in listing order; ids compare by bytes, as Redis orders members. */
function isBelow(record: RunRecord, cursor: { createdAt: number; id: string }): boolean {
  if (record.createdAt !== cursor.createdAt) return record.createdAt < cursor.createdAt;
  return Buffer.compare(Buffer.from(record.id), Buffer.from(cursor.id)) < 0;
}
