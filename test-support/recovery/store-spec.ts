import type { RunStore } from "@orchestrator-workers/core";

/**
 * Which store a test process opens, as plain JSON, so that a parent can hand it to child processes: every process
 * opens its own store instance on the same backend (file, key prefix or schema).
 */
export type StoreSpec =
  | { kind: "sqlite"; path: string }
  | { kind: "redis"; url: string; keyPrefix: string }
  | { kind: "postgres"; connectionString: string; schema: string };

/** A store opened from a {@link StoreSpec}, with `close()` always present. */
export type OpenedTestStore = RunStore & { close(): Promise<void> };

/** Opens (and sets up) the store a spec names. Drivers are imported only for the store asked for. */
export async function openStoreSpec(spec: StoreSpec): Promise<OpenedTestStore> {
  switch (spec.kind) {
    case "sqlite": {
      const { sqliteStore } = await import("@orchestrator-workers/sqlite");
      return ready(sqliteStore({ path: spec.path, busyTimeoutMs: 10_000 }));
    }
    case "redis": {
      const { redisStore } = await import("@orchestrator-workers/redis");
      return ready(redisStore({ url: spec.url, keyPrefix: spec.keyPrefix }));
    }
    case "postgres": {
      const { postgresStore } = await import("@orchestrator-workers/postgres");
      return ready(postgresStore({ connectionString: spec.connectionString, schema: spec.schema }));
    }
  }
}

async function ready<TStore extends OpenedTestStore & { setup(): Promise<void> }>(
  store: TStore,
): Promise<TStore> {
  try {
    await store.setup();
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  return store;
}
