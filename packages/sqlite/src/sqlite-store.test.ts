import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { OrchestrateError } from "@orchestrator-workers/core";
import { runStoreContract } from "@orchestrator-workers/core/testing";
import * as vitest from "vitest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrations } from "./migrations.js";
import { type SqliteStoreOptions, sqliteStore } from "./sqlite-store.js";

runStoreContract(
  "sqlite :memory:",
  () => {
    const store = sqliteStore({ path: ":memory:" });
    return { store, cleanup: () => store.close() };
  },
  { vitest },
);

runStoreContract(
  "sqlite file",
  () => {
    const directory = mkdtempSync(join(tmpdir(), "orchestrator-workers-sqlite-"));
    const path = join(directory, "runs.db");
    const store = sqliteStore({ path });
    return {
      store,
      secondInstance: () => {
        const second = sqliteStore({ path });
        return { store: second, cleanup: () => second.close() };
      },
      cleanup: async () => {
        await store.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  },
  { vitest },
);

describe("sqliteStore", () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "orchestrator-workers-sqlite-"));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it("never closes a database it was given, and leaves its settings alone", async () => {
    const database = new DatabaseSync(join(directory, "given.db"));
    const store = sqliteStore({ database });
    await store.createRun({ id: "run-1", createdAt: 1 });
    await store.close();
    expect(database.prepare("SELECT count(*) AS count FROM runs").get()?.count).toBe(1);
    expect(database.prepare("PRAGMA journal_mode").get()?.journal_mode).toBe("delete");
    database.close();
  });

  it("opens files in WAL mode and records its migrations once", async () => {
    const path = join(directory, "runs.db");
    const store = sqliteStore({ path });
    await store.setup();
    await store.setup();
    await store.close();
    const database = new DatabaseSync(path);
    expect(database.prepare("PRAGMA journal_mode").get()?.journal_mode).toBe("wal");
    const versions = database.prepare("SELECT version FROM schema_version ORDER BY version").all();
    expect(versions.map((row) => row.version)).toEqual(migrations.map((migration) => migration.version));
    database.close();
  });

  it("refuses a database migrated by a newer version of the store", async () => {
    const path = join(directory, "newer.db");
    const database = new DatabaseSync(path);
    database.exec(
      "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT, applied_at INTEGER)",
    );
    database.exec("INSERT INTO schema_version VALUES (999, 'from the future', 0)");
    database.close();
    const store = sqliteStore({ path });
    await expect(store.setup()).rejects.toThrow(/schema version 999/);
    await store.close();
  });

  it("answers STORE_UNAVAILABLE when another connection holds the write lock past the busy timeout", async () => {
    const path = join(directory, "locked.db");
    const store = sqliteStore({ path, busyTimeoutMs: 50 });
    await store.createRun({ id: "run-1", createdAt: 1 });
    const other = new DatabaseSync(path);
    other.exec("BEGIN IMMEDIATE");
    const started = Date.now();
    const error = await store
      .append({
        runId: "run-1",
        expectedSeq: 0,
        events: [{ type: "task-start", runId: "run-1", seq: 1, at: 2, taskId: "t1", attempt: 1 }],
        status: "running",
      })
      .catch((failure: unknown) => failure);
    expect(OrchestrateError.isInstance(error) && error.code).toBe("STORE_UNAVAILABLE");
    expect(Date.now() - started).toBeLessThan(2_000);
    other.exec("ROLLBACK");
    other.close();
    expect((await store.getRun("run-1"))?.lastSeq).toBe(0);
    await store.close();
  });

  it("rejects invalid options with INVALID_ARGUMENT naming the option", () => {
    const invalid = (options: unknown) => () => sqliteStore(options as SqliteStoreOptions);
    expect(invalid({})).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringContaining('"path"') }),
    );
    expect(invalid({ path: ":memory:", busyTimeoutMs: -1 })).toThrow(
      expect.objectContaining({
        code: "INVALID_ARGUMENT",
        message: expect.stringContaining('"busyTimeoutMs"'),
      }),
    );
    expect(invalid({ path: ":memory:", synchronous: "off" })).toThrow(
      expect.objectContaining({
        code: "INVALID_ARGUMENT",
        message: expect.stringContaining('"synchronous"'),
      }),
    );
  });
});
