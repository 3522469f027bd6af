import { Redis } from "ioredis";
import { afterAll } from "vitest";
import { requiredOrSkipped } from "../../../test-support/servers/required-or-skipped.js";

/** The Redis server the tests share (`REDIS_URL`, default the local one), an admin client, and key cleanup. */
export interface SharedRedis {
  url: string;
  admin: Redis;
  /** True when the server is unreachable outside CI (the caller's tests skip); in CI that throws instead. */
  skipped: boolean;
  /** A fresh key prefix, so that test files and tests running side by side never share keys. */
  freshPrefix(): string;
  /** Deletes every key under `prefix`; answers how many. */
  deleteKeys(prefix: string): Promise<number>;
}

/** Probes the shared Redis for `tests` (see {@link requiredOrSkipped}); disconnects after the file. */
export async function sharedRedis(tests: string): Promise<SharedRedis> {
  const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  admin.on("error", () => undefined);
  afterAll(() => admin.disconnect());
  const unreachable = await admin.connect().then(
    () => admin.ping().then(() => undefined),
    (error: unknown) => `Redis at ${url} is unreachable (${String(error)}; start it, or set REDIS_URL)`,
  );
  return {
    url,
    admin,
    skipped: requiredOrSkipped(unreachable, tests),
    freshPrefix: () => `orchestrator-workers-test:${crypto.randomUUID()}:`,
    async deleteKeys(prefix) {
      let deleted = 0;
      let cursor = "0";
      do {
        const [next, keys] = await admin.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1_000);
        cursor = next;
        if (keys.length > 0) deleted += await admin.unlink(...keys);
      } while (cursor !== "0");
      return deleted;
    },
  };
}
