import type { DatabaseSync } from "node:sqlite";

/** One step of the schema's history. Versions are consecutive from 1; a released migration never changes. */
export interface Migration {
  /** The schema version this migration brings the database to. */
  version: number;
  /** What it does, for people reading `schema_version`. */
  description: string;
  /** The statements, run in one transaction with the version bump. */
  sql: string;
}

/** Every migration, oldest first. Append new ones; never edit or reorder released ones. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: "runs, events, leases",
    sql: `
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        tenant TEXT,
        idempotency_key TEXT,
        fingerprint TEXT,
        status TEXT NOT NULL,
        last_seq INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        lease_owner TEXT,
        lease_expires_at INTEGER
      );
      -- Unique per (tenant, key). Two partial indexes because a unique index treats NULL tenants as distinct.
      CREATE UNIQUE INDEX runs_tenant_idempotency_key ON runs (tenant, idempotency_key)
        WHERE tenant IS NOT NULL AND idempotency_key IS NOT NULL;
      CREATE UNIQUE INDEX runs_untenanted_idempotency_key ON runs (idempotency_key)
        WHERE tenant IS NULL AND idempotency_key IS NOT NULL;
      CREATE INDEX runs_listing ON runs (tenant, created_at, id);
      CREATE INDEX runs_active ON runs (created_at, id) WHERE status IN ('queued', 'running');
      CREATE INDEX runs_final ON runs (updated_at) WHERE status IN ('completed', 'failed', 'cancelled');
      -- WITHOUT ROWID: one b-tree keyed by (run_id, seq), so a run's events are stored together and an append
      -- writes one tree instead of a table and an index.
      CREATE TABLE events (
        run_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        type TEXT NOT NULL,
        at INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;
    `,
  },
];

/**
 * Brings the database to the latest schema version. Idempotent, and safe when several processes start at once:
 * the check and the migrations run in one write transaction. Refuses a database migrated by a newer version.
 */
export function migrate(database: DatabaseSync): void {
  database.exec("BEGIN IMMEDIATE");
  try {
    database.exec(
      "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)",
    );
    const row = database.prepare("SELECT max(version) AS version FROM schema_version").get();
    const current = Number(row?.version ?? 0);
    const latest = migrations[migrations.length - 1]?.version ?? 0;
    if (current > latest) {
      throw new Error(
        `The SQLite database is at schema version ${current}, newer than the latest this store knows (${latest}). Upgrade @orchestrator-workers/sqlite.`,
      );
    }
    const record = database.prepare(
      "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
    );
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      database.exec(migration.sql);
      record.run(migration.version, migration.description, Date.now());
    }
    database.exec("COMMIT");
  } catch (error) {
    database.exec("ROLLBACK");
    throw error;
  }
}
