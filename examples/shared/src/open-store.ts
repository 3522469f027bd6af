import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { memoryStore, type RunStore } from "@orchestrator-workers/core";
import { describeStoreUrl } from "./describe-store-url.js";
import { takeParameter } from "./take-parameter.js";

/** A store opened by {@link openStore}. */
export interface OpenedStore {
  store: RunStore;
  /** Closes the connections the store opened (nothing for `memory:`). */
  close: () => Promise<void>;
  /** The store URL for logs and banners, with any password replaced by `***`. */
  description: string;
}

/** The store URL forms {@link openStore} accepts, for error messages and help texts. */
export const storeUrlForms =
  "memory:, sqlite:<path>, redis://…[?keyPrefix=…] (or rediss://…), postgres://…[?schema=…] (or postgresql://…)";

/**
 * Opens the store a URL names and runs its `setup()`:
 * - `memory:` — in this process only, gone when it exits;
 * - `sqlite:<path>` — a SQLite file (relative paths from the working directory; its folder is created);
 * - `redis://…` / `rediss://…` — Redis, shared by every process pointing at it; `?keyPrefix=app1:` keeps
 *   several deployments apart in one database;
 * - `postgres://…` / `postgresql://…` — Postgres, shared by every process pointing at it; `?schema=app1` likewise.
 * Drivers are imported only for the store asked for. Throws an `Error` naming the accepted forms for anything
 * else.
 */
export async function openStore(url: string): Promise<OpenedStore> {
  const description = describeStoreUrl(url);
  if (url === "memory:") return { store: memoryStore(), close: async () => {}, description };
  if (url.startsWith("sqlite:") && url.length > "sqlite:".length) {
    const { sqliteStore } = await import("@orchestrator-workers/sqlite");
    const path = url.slice("sqlite:".length);
    if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
    return withSetup(sqliteStore({ path }), description);
  }
  if (/^rediss?:\/\//.test(url)) {
    const { redisStore } = await import("@orchestrator-workers/redis");
    const { connection, option } = takeParameter(url, "keyPrefix");
    return withSetup(redisStore({ url: connection, ...(option ? { keyPrefix: option } : {}) }), description);
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { postgresStore } = await import("@orchestrator-workers/postgres");
    const { connection, option } = takeParameter(url, "schema");
    return withSetup(
      postgresStore({ connectionString: connection, ...(option ? { schema: option } : {}) }),
      description,
    );
  }
  throw new Error(`Unknown store URL ${JSON.stringify(description)}: expected ${storeUrlForms}.`);
}

async function withSetup(
  store: RunStore & { setup(): Promise<void>; close(): Promise<void> },
  description: string,
): Promise<OpenedStore> {
  try {
    await store.setup();
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  return { store, close: () => store.close(), description };
}
