import { createHash } from "node:crypto";

/** A statement Postgres prepares once per connection, under a name unique to the schema. */
export interface NamedQuery {
  name: string;
  text: string;
}

// The database's clock in epoch milliseconds: every process judges leases by the same clock.
const databaseNow = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint";
const active = "status IN ('queued', 'running')";
const final = "status IN ('completed', 'failed', 'cancelled')";

/** Every statement of the store, for one (validated) schema. */
export type Queries = ReturnType<typeof createQueries>;

/** Builds the store's statements for `schema`. */
export function createQueries(schema: string) {
  const runs = `"${schema}".runs`;
  const events = `"${schema}".events`;
  // Postgres truncates names to 63 bytes, so the schema is represented by a short hash of it.
  const prefix = `ow_${createHash("sha256").update(schema).digest("hex").slice(0, 12)}_`;
  const named = (name: string, text: string): NamedQuery => ({ name: prefix + name, text });

  return {
    insertRun: named(
      "insert-run",
      `INSERT INTO ${runs} (id, tenant, idempotency_key, fingerprint, status, last_seq, created_at, updated_at,
          lease_owner, lease_expires_at)
        VALUES ($1, $2, $3, $4, 'queued', 0, $5, $5, $6, ${databaseNow} + $7::bigint)
        ON CONFLICT DO NOTHING
        RETURNING *`,
    ),
    selectRun: named("select-run", `SELECT * FROM ${runs} WHERE id = $1`),
    selectRunByTenantKey: named(
      "select-run-by-tenant-key",
      `SELECT * FROM ${runs} WHERE tenant = $1 AND idempotency_key = $2`,
    ),
    selectRunByUntenantedKey: named(
      "select-run-by-untenanted-key",
      `SELECT * FROM ${runs} WHERE tenant IS NULL AND idempotency_key = $1`,
    ),
    // One statement, so one round trip and one transaction: the conditional update decides, the events follow
    // only when it matched, and the notification goes out when the transaction commits.
    append: named(
      "append",
      `WITH advanced AS (
          UPDATE ${runs} SET last_seq = $3, status = $4, updated_at = $5
          WHERE id = $1 AND last_seq = $2
          RETURNING id
        ), inserted AS (
          INSERT INTO ${events} (run_id, seq, type, at, body)
          SELECT advanced.id, event.seq, event.type, event.at, event.body
          FROM advanced, unnest($6::integer[], $7::text[], $8::bigint[], $9::json[]) AS event(seq, type, at, body)
        )
        SELECT pg_notify($10, $11) FROM advanced`,
    ),
    selectEvents: named(
      "select-events",
      `SELECT body FROM ${events} WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    ),
    listRuns: (tenant: boolean, cursor: boolean): NamedQuery => {
      // $1 limit, $2 statuses, then $3 tenant when there is one, then the cursor's createdAt and id.
      const conditions = [
        tenant ? "tenant = $3" : "tenant IS NULL",
        "($2::text[] IS NULL OR status = ANY ($2::text[]))",
      ];
      const next = tenant ? 4 : 3;
      if (cursor) conditions.push(`(created_at, id) < ($${next}::bigint, $${next + 1}::text)`);
      return named(
        `list-runs-${tenant ? "tenant" : "untenanted"}-${cursor ? "after" : "first"}`,
        `SELECT * FROM ${runs} WHERE ${conditions.join(" AND ")} ORDER BY created_at DESC, id DESC LIMIT $1`,
      );
    },
    acquireLease: named(
      "acquire-lease",
      `UPDATE ${runs} SET lease_owner = $2, lease_expires_at = ${databaseNow} + $3::bigint
        WHERE id = $1 AND (lease_owner IS NULL OR lease_owner = $2 OR lease_expires_at <= ${databaseNow})
        RETURNING id`,
    ),
    renewLease: named(
      "renew-lease",
      `UPDATE ${runs} SET lease_expires_at = ${databaseNow} + $3::bigint
        WHERE id = $1 AND lease_owner = $2 AND lease_expires_at > ${databaseNow}
        RETURNING id`,
    ),
    releaseLease: named(
      "release-lease",
      `UPDATE ${runs} SET lease_owner = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_owner = $2`,
    ),
    selectExpiredLeases: named(
      "select-expired-leases",
      `SELECT id FROM ${runs} WHERE ${active} AND (lease_expires_at IS NULL OR lease_expires_at <= $1)
        ORDER BY created_at, id LIMIT $2`,
    ),
    // Batches keep each transaction short; SKIP LOCKED lets two processes run retention side by side.
    deleteFinalRuns: named(
      "delete-final-runs",
      `WITH doomed AS (
          SELECT id FROM ${runs} WHERE ${final} AND updated_at < $1
          ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED
        ), deleted_events AS (
          DELETE FROM ${events} WHERE run_id IN (SELECT id FROM doomed)
        ), deleted AS (
          DELETE FROM ${runs} WHERE id IN (SELECT id FROM doomed) RETURNING id
        )
        SELECT count(*)::integer AS count FROM deleted`,
    ),
  };
}
