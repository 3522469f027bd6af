import type { D1DatabaseLike } from "./d1-database.js";
import type { D1Tables } from "./d1-tables.js";

/** One step of the schema's history. Versions are consecutive from 1; a released migration never changes. */
export interface D1Migration {
  /** The schema version this migration brings the database to. */
  version: number;
  /** What it does, stored in the version table. */
  description: string;
  /** The statements, run in one D1 batch (a transaction) with the version bump. Idempotent where SQL allows. */
  statements: (tables: D1Tables) => string[];
}

/** Every migration, oldest first. Append new ones; never edit or reorder released ones. */
export const d1Migrations: readonly D1Migration[] = [
  {
    version: 1,
    description: "runs, events, leases, step results",
    statements: ({ runs, events, stepResults, prefix }) => [
      `CREATE TABLE IF NOT EXISTS ${runs} (
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
      )`,
      // Unique per (tenant, key). Two partial indexes because a unique index treats NULL tenants as distinct.
      `CREATE UNIQUE INDEX IF NOT EXISTS ${prefix}runs_tenant_key ON ${runs} (tenant, idempotency_key)
        WHERE tenant IS NOT NULL AND idempotency_key IS NOT NULL`,
      `CREATE UNIQUE INDEX IF NOT EXISTS ${prefix}runs_untenanted_key ON ${runs} (idempotency_key)
        WHERE tenant IS NULL AND idempotency_key IS NOT NULL`,
      `CREATE INDEX IF NOT EXISTS ${prefix}runs_listing ON ${runs} (tenant, created_at, id)`,
      `CREATE INDEX IF NOT EXISTS ${prefix}runs_active ON ${runs} (created_at, id)
        WHERE status IN ('queued', 'running')`,
      `CREATE INDEX IF NOT EXISTS ${prefix}runs_final ON ${runs} (updated_at)
        WHERE status IN ('completed', 'failed', 'cancelled')`,
      `CREATE TABLE IF NOT EXISTS ${events} (
        run_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        type TEXT NOT NULL,
        at INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      )`,
      `CREATE TABLE IF NOT EXISTS ${stepResults} (
        run_id TEXT NOT NULL,
        key TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, key)
      )`,
    ],
  },
];

/**
 * Brings the database to the latest schema version. Idempotent and safe when several isolates start at once:
 * each migration is one D1 batch (a transaction) with its version row, its statements are idempotent, and a
 * batch that lost a race is accepted when the version it meant to reach is recorded. Refuses a database
 * migrated by a newer version of this package.
 */
export async function migrateD1(db: D1DatabaseLike, tables: D1Tables): Promise<void> {
  await db
    .prepare(
      `CREATE TABLE IF NOT EXISTS ${tables.schemaVersion} (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)`,
    )
    .run();
  const current = await schemaVersion(db, tables);
  const latest = d1Migrations[d1Migrations.length - 1]?.version ?? 0;
  if (current > latest) {
    throw new Error(
      `The D1 schema (${tables.prefix}*) is at version ${current}, newer than the latest this store knows (${latest}). Upgrade @orchestrator-workers/cloudflare.`,
    );
  }
  for (const migration of d1Migrations) {
    if (migration.version <= current) continue;
    const statements = migration.statements(tables).map((sql) => db.prepare(sql));
    statements.push(
      db
        .prepare(
          `INSERT OR IGNORE INTO ${tables.schemaVersion} (version, description, applied_at) VALUES (?1, ?2, ?3)`,
        )
        .bind(migration.version, migration.description, Date.now()),
    );
    try {
      await db.batch(statements);
    } catch (error) {
      if ((await schemaVersion(db, tables)) < migration.version) throw error;
    }
  }
}

async function schemaVersion(db: D1DatabaseLike, tables: D1Tables): Promise<number> {
  const row = await db
    .prepare(`SELECT max(version) AS version FROM ${tables.schemaVersion}`)
    .first<{ version: number | null }>();
  return Number(row?.version ?? 0);
}
