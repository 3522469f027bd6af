import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryStore, type RunStore } from "@orchestrator-workers/core";
import { postgresStore } from "@orchestrator-workers/postgres";
import { redisStore } from "@orchestrator-workers/redis";
import { sqliteStore } from "@orchestrator-workers/sqlite";

/** The stores the stores scenario compares. */
export type BenchStoreName = "memory" | "sqlite" | "redis" | "postgres";

/** A store opened for the benchmark. */
export interface BenchStore {
  name: BenchStoreName;
  /** For tables: the store and where it lives. */
  label: string;
  store: RunStore;
  /** Deletes what the benchmark wrote and closes the store. */
  close(): Promise<void>;
}

/** A store that could not be opened, and why. */
export interface SkippedStore {
  name: BenchStoreName;
  reason: string;
}

/** Where the networked stores are: `REDIS_URL` and `DATABASE_URL`, with the test suite's defaults. */
export const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
export const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/**
 * Opens `name` for the benchmark: memory; SQLite in a file of a temporary folder (WAL, `synchronous: normal`,
 * its defaults); Redis at `REDIS_URL` under a key prefix of its own; Postgres at `DATABASE_URL` in the schema
 * `orchestrator_workers_bench`. Answers a {@link SkippedStore} when the server cannot be reached.
 */
export async function openBenchStore(name: BenchStoreName): Promise<BenchStore | SkippedStore> {
  switch (name) {
    case "memory":
      return { name, label: "memory", store: memoryStore(), close: async () => {} };
    case "sqlite": {
      const directory = mkdtempSync(join(tmpdir(), "orchestrator-workers-bench-"));
      const store = sqliteStore({ path: join(directory, "runs.db") });
      await store.setup();
      return {
        name,
        label: "SQLite (file, WAL, synchronous: normal)",
        store,
        close: async () => {
          await store.close();
          rmSync(directory, { recursive: true, force: true });
        },
      };
    }
    case "redis": {
      const store = redisStore({
        url: redisUrl,
        keyPrefix: `orchestrator-workers-bench:${crypto.randomUUID()}:`,
        connectTimeoutMs: 2_000,
      });
      return ready(name, `Redis (${hostOf(redisUrl)})`, store, redisUrl);
    }
    case "postgres": {
      const store = postgresStore({
        connectionString: databaseUrl,
        schema: "orchestrator_workers_bench",
        connectionTimeoutMs: 2_000,
      });
      return ready(name, `Postgres (${hostOf(databaseUrl)})`, store, databaseUrl);
    }
  }
}

async function ready(
  name: BenchStoreName,
  label: string,
  store: RunStore & { setup(): Promise<void>; close(): Promise<void> },
  url: string,
): Promise<BenchStore | SkippedStore> {
  try {
    await store.setup();
  } catch (error) {
    await store.close().catch(() => {});
    return {
      name,
      reason: `${hostOf(url)} is unreachable (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  return {
    name,
    label,
    store,
    close: async () => {
      // Every benchmark run has ended, so retention deletes them all.
      await store.deleteRuns({ before: Date.now() + 1 });
      await store.close();
    },
  };
}

/** `host:port` of a URL, without credentials. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "?";
  }
}
