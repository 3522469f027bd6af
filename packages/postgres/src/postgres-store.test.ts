import { OrchestrateError } from "@orchestrator-workers/core";
import { runStoreContract } from "@orchestrator-workers/core/testing";
import pg from "pg";
import * as vitest from "vitest";
import { describe, expect, it } from "vitest";
import { silentServer } from "../../../test-support/servers/silent-server.js";
import { sharedPostgres } from "../test/shared-postgres.js";
import { migrations } from "./migrations.js";
import { type PostgresStoreOptions, postgresStore } from "./postgres-store.js";

const {
  url: databaseUrl,
  admin,
  skipped,
  freshSchema,
  dropSchema,
} = await sharedPostgres("the postgres store tests");

describe.skipIf(skipped)(`postgresStore on ${databaseUrl}`, () => {
  runStoreContract(
    "postgres",
    () => {
      const schema = freshSchema();
      const store = postgresStore({ connectionString: databaseUrl, schema });
      return {
        store,
        secondInstance: () => {
          const second = postgresStore({ connectionString: databaseUrl, schema });
          return { store: second, cleanup: () => second.close() };
        },
        cleanup: async () => {
          await store.close();
          await dropSchema(schema);
        },
      };
    },
    { vitest },
  );

  it("setup from several processes at once migrates one schema once", async () => {
    const schema = freshSchema();
    const stores = [1, 2, 3].map(() => postgresStore({ connectionString: databaseUrl, schema }));
    try {
      await Promise.all(stores.map((store) => store.setup()));
      const { rows } = await admin.query(`SELECT version FROM "${schema}".schema_version ORDER BY version`);
      expect(rows.map((row) => row.version)).toEqual(migrations.map((migration) => migration.version));
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await dropSchema(schema);
    }
  });

  it("never ends a pool it was given", async () => {
    const schema = freshSchema();
    const pool = new pg.Pool({ connectionString: databaseUrl });
    const store = postgresStore({ pool, schema });
    await store.createRun({ id: "run-1", createdAt: 1 });
    await store.close();
    expect((await pool.query(`SELECT count(*)::integer AS count FROM "${schema}".runs`)).rows[0].count).toBe(
      1,
    );
    await pool.end();
    await dropSchema(schema);
  });

  it("keeps pushing events after its LISTEN connection is killed", async () => {
    const schema = freshSchema();
    const store = postgresStore({ connectionString: databaseUrl, schema });
    const writer = postgresStore({ connectionString: databaseUrl, schema });
    try {
      await store.createRun({ id: "run-1", createdAt: 1 });
      const seqs: number[] = [];
      const unsubscribe = store.subscribe("run-1", 0, (events) =>
        seqs.push(...events.map((event) => event.seq)),
      );
      const append = (seq: number) =>
        writer.append({
          runId: "run-1",
          expectedSeq: seq - 1,
          events: [
            { type: "task-start", runId: "run-1", seq, at: Date.now(), taskId: `t${seq}`, attempt: 1 },
          ],
          status: "running",
        });
      await append(1);
      await expect.poll(() => seqs, { timeout: 5_000 }).toEqual([1]);
      const killed = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()",
        [`LISTEN "${schema}_run_events"`],
      );
      expect(killed.rowCount).toBe(1);
      await append(2);
      await append(3);
      await expect.poll(() => seqs, { timeout: 5_000 }).toEqual([1, 2, 3]);
      unsubscribe();
    } finally {
      await store.close();
      await writer.close();
      await dropSchema(schema);
    }
  });
});

describe("postgresStore", () => {
  it("fails fast with STORE_UNAVAILABLE when nothing listens at the address", async () => {
    const store = postgresStore({
      connectionString: "postgres://postgres@127.0.0.1:1/test",
      connectionTimeoutMs: 1_000,
    });
    const started = Date.now();
    const error = await store.getRun("run-1").catch((failure: unknown) => failure);
    expect(OrchestrateError.isInstance(error) && error.code).toBe("STORE_UNAVAILABLE");
    expect(Date.now() - started).toBeLessThan(3_000);
    await store.close();
  });

  it("fails fast with STORE_UNAVAILABLE when the server accepts connections but never answers", async () => {
    const server = await silentServer();
    const store = postgresStore({
      connectionString: `postgres://postgres@127.0.0.1:${server.port}/test`,
      connectionTimeoutMs: 300,
    });
    try {
      const started = Date.now();
      const error = await store.getRun("run-1").catch((failure: unknown) => failure);
      expect(OrchestrateError.isInstance(error) && error.code).toBe("STORE_UNAVAILABLE");
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await store.close();
      server.close();
    }
  });

  it("rejects invalid options with INVALID_ARGUMENT naming the option", () => {
    const invalid = (options: unknown) => () => postgresStore(options as PostgresStoreOptions);
    expect(invalid({ connectionString: databaseUrl, schema: "Robert'); DROP TABLE runs;--" })).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringContaining('"schema"') }),
    );
    expect(invalid({ connectionString: databaseUrl, schema: "1abc" })).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringContaining('"schema"') }),
    );
    expect(invalid({})).toThrow(
      expect.objectContaining({
        code: "INVALID_ARGUMENT",
        message: expect.stringContaining('"connectionString"'),
      }),
    );
    expect(invalid({ connectionString: databaseUrl, connectionTimeoutMs: 0 })).toThrow(
      expect.objectContaining({
        code: "INVALID_ARGUMENT",
        message: expect.stringContaining('"connectionTimeoutMs"'),
      }),
    );
  });
});
