import { env } from "cloudflare:workers";
import { OrchestrateError } from "@orchestrator-workers/core";
import { runStoreContract } from "@orchestrator-workers/core/testing";
import * as vitest from "vitest";
import { describe, expect, it } from "vitest";
import type { D1DatabaseLike } from "./d1-database.js";
import { d1Migrations } from "./d1-migrations.js";
import { d1Store } from "./d1-store.js";

const db = (env as unknown as { DB: D1DatabaseLike }).DB;

/** A store on tables of its own, so that every contract test starts empty while sharing the test database. */
async function freshStore() {
  const tablePrefix = `t${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}_`;
  const store = d1Store(db, { tablePrefix });
  await store.setup();
  return {
    store,
    tablePrefix,
    secondInstance: () => ({ store: d1Store(db, { tablePrefix }) }),
    cleanup: async () => {
      for (const table of ["events", "runs", "step_results", "schema_version"]) {
        await db.prepare(`DROP TABLE IF EXISTS ${tablePrefix}${table}`).run();
      }
    },
  };
}

runStoreContract("d1", freshStore, { vitest });

describe("d1Store", () => {
  it("setup records each migration once, however often and concurrently it runs", async () => {
    const fixture = await freshStore();
    try {
      await Promise.all([fixture.store.setup(), fixture.store.setup(), fixture.store.setup()]);
      const { results } = await db
        .prepare(`SELECT version FROM ${fixture.tablePrefix}schema_version ORDER BY version`)
        .all<{ version: number }>();
      expect(results.map((row) => row.version)).toEqual(d1Migrations.map((migration) => migration.version));
    } finally {
      await fixture.cleanup();
    }
  });

  it("refuses a schema migrated by a newer version of the package", async () => {
    const fixture = await freshStore();
    try {
      await db.prepare(`INSERT INTO ${fixture.tablePrefix}schema_version VALUES (999, 'future', 0)`).run();
      await expect(fixture.store.setup()).rejects.toThrow(/version 999, newer than/);
    } finally {
      await fixture.cleanup();
    }
  });

  it("keeps step results per run and key, and deletes them with the run", async () => {
    const fixture = await freshStore();
    try {
      const { stepResults } = fixture.store;
      await stepResults.save("run-1", "task:a", { output: "A", usage: { totalTokens: 3 } });
      await stepResults.save("run-1", "task:a", { output: "A2" });
      await stepResults.save("run-2", "task:a", undefined);
      expect(await stepResults.load("run-1", "task:a")).toEqual({ value: { output: "A2" } });
      expect(await stepResults.load("run-2", "task:a")).toEqual({ value: null });
      expect(await stepResults.load("run-1", "task:b")).toBeUndefined();
      await stepResults.deleteRun("run-1");
      expect(await stepResults.load("run-1", "task:a")).toBeUndefined();
      expect(await stepResults.load("run-2", "task:a")).toEqual({ value: null });
    } finally {
      await fixture.cleanup();
    }
  });

  it("rejects a table prefix that is not a plain identifier, and a missing binding", () => {
    expect(() => d1Store(db, { tablePrefix: "runs; DROP TABLE x" })).toThrow(/tablePrefix/);
    const error = (() => {
      try {
        d1Store(undefined as unknown as D1DatabaseLike);
      } catch (caught) {
        return caught;
      }
    })();
    expect(OrchestrateError.isInstance(error) && error.code).toBe("INVALID_ARGUMENT");
  });
});
