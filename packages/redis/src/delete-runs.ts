import { isFinalRunStatus } from "@orchestrator-workers/core";
import type { Redis } from "ioredis";
import type { RedisKeys } from "./redis-keys.js";
import { toRunRecord } from "./run-hash.js";

const batch = 200;

/**
 * Deletes final runs last updated before `before`, in batches: each run's hash, stream, lease and idempotency
 * key, and its entries in the sorted sets, in one `MULTI` per batch. Answers how many runs it deleted.
 */
export async function deleteRuns(client: Redis, keys: RedisKeys, before: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const ids = await client.zrange(keys.finished, "-inf", `(${before}`, "BYSCORE", "LIMIT", 0, batch);
    if (ids.length === 0) return deleted;
    const reads = client.pipeline();
    for (const id of ids) reads.hgetall(keys.run(id));
    const hashes = (await reads.exec()) ?? [];
    const transaction = client.multi();
    for (const [index, id] of ids.entries()) {
      const [error, hash] = hashes[index] ?? [];
      if (error) throw error;
      transaction.zrem(keys.finished, id);
      const record = toRunRecord(hash as Record<string, string>);
      // Written again since it was listed (not final, or newer): keep it.
      if (record && (!isFinalRunStatus(record.status) || record.updatedAt >= before)) continue;
      if (record) {
        deleted++;
        transaction.zrem(keys.runsOf(record.tenant), id);
        if (record.idempotencyKey !== undefined) {
          transaction.del(keys.idempotency(record.tenant, record.idempotencyKey));
        }
      }
      transaction.del(keys.run(id), keys.events(id), keys.lease(id));
      transaction.zrem(keys.active, id);
      transaction.zrem(keys.leaseExpiries, id);
    }
    await transaction.exec();
    if (ids.length < batch) return deleted;
  }
}
