import { memoryStore, type RunStore } from "@orchestrator-workers/core";

/** Opens the store named by `--store`: `memory:` or `sqlite:<path>`. */
export async function openStore(url: string): Promise<{ store: RunStore; close: () => Promise<void> }> {
  if (url === "memory:") return { store: memoryStore(), close: async () => {} };
  const { sqliteStore } = await import("@orchestrator-workers/sqlite");
  const store = sqliteStore({ path: url.slice("sqlite:".length) });
  await store.setup();
  return { store, close: () => store.close() };
}
