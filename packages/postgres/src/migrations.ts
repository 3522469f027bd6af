import type pg from "pg";

/** One step of the schema's history. Versions are consecutive from 1; a released migration never changes. */
export interface PostgresMigration {
  /** The schema version this migration brings the database to. */
  version: number;
  /** What it does, for people reading `schema_version`. */
  description: string;
  /** The statements for a schema (already validated and quoted), run in one transaction with the version bump. */
  sql: (schema: string) => string;
}

/** Every migration, oldest first. Append new ones; never edit or reorder released ones. */
export const migrations: readonly PostgresMigration[] = [
  {
    version: 1,
    description: "runs, events, leases",
    sql: (schema) => `
      CREATE TABLE ${schema}.runs (
        id text COLLATE "C" PRIMARY KEY,
        tenant text,
        idempotency_key text,
        fingerprint text,
        status text NOT NULL,
        last_seq integer NOT NULL DEFAULT 0,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        lease_owner text,
        lease_expires_at bigint
      );
      -- Unique per (tenant, key). Two partial indexes because a unique index treats NULL tenants as distinct.
      CREATE UNIQUE INDEX runs_tenant_idempotency_key ON ${schema}.runs (tenant, idempotency_key)
        WHERE tenant IS NOT NULL AND idempotency_key IS NOT NULL;
      CREATE UNIQUE INDEX runs_untenanted_idempotency_key ON ${schema}.runs (idempotency_key)
        WHERE tenant IS NULL AND idempotency_key IS NOT NULL;
      CREATE INDEX runs_listing ON ${schema}.runs (tenant, created_at, id);
      CREATE INDEX runs_active ON ${schema}.runs (created_at, id) WHERE status IN ('queued', 'running');
      CREATE INDEX runs_final ON ${schema}.runs (updated_at) WHERE status IN ('completed', 'failed', 'cancelled');
      -- json, not jsonb: bodies are read back whole, json keeps them byte for byte, and jsonb rejects \\u0000.
      CREATE TABLE ${schema}.events (
        run_id text COLLATE "C" NOT NULL,
        seq integer NOT NULL,
        type text NOT NULL,
        at bigint NOT NULL,
        body json NOT NULL,
        PRIMARY KEY (run_id, seq)
      );
    `,
  },
];

const latest = migrations[migrations.length - 1]?.version ?? 0;

/**
 * Brings `schema` to the latest version: creates it if needed, then runs the missing migrations in one
 * transaction under an advisory lock, so that processes starting together migrate once. Needs no DDL rights
 * when the schema is already current. Refuses a schema migrated by a newer version of the store.
 */
export async function migrate(pool: pg.Pool, schema: string): Promise<void> {
  const quoted = `"${schema}"`;
  const current = await versionOf(pool, quoted);
  if (current === latest) return;
  checkNotNewer(current);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`orchestrator-workers:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quoted}.schema_version (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const locked = await versionOf(client, quoted);
    checkNotNewer(locked);
    for (const migration of migrations) {
      if (migration.version <= locked) continue;
      await client.query(migration.sql(quoted));
      await client.query(`INSERT INTO ${quoted}.schema_version (version, description) VALUES ($1, $2)`, [
        migration.version,
        migration.description,
      ]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function versionOf(queryable: pg.Pool | pg.PoolClient, quoted: string): Promise<number> {
  const { rows } = await queryable.query<{ exists: boolean }>(
    "SELECT to_regclass($1) IS NOT NULL AS exists",
    [`${quoted}.schema_version`],
  );
  if (!rows[0]?.exists) return 0;
  const version = await queryable.query<{ version: number | null }>(
    `SELECT max(version) AS version FROM ${quoted}.schema_version`,
  );
  return version.rows[0]?.version ?? 0;
}

function checkNotNewer(version: number): void {
  if (version > latest) {
    throw new Error(
      `The Postgres schema is at version ${version}, newer than the latest this store knows (${latest}). Upgrade @orchestrator-workers/postgres.`,
    );
  }
}
