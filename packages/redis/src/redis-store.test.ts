import { OrchestrateError } from "@orchestrator-workers/core";
import { runStoreContract } from "@orchestrator-workers/core/testing";
import { Redis } from "ioredis";
import * as vitest from "vitest";
import { describe, expect, it } from "vitest";
import { silentServer } from "../../../test-support/servers/silent-server.js";
import { sharedRedis } from "../test/shared-redis.js";
import { type RedisStoreOptions, redisStore } from "./redis-store.js";

const { url: redisUrl, admin, skipped, freshPrefix, deleteKeys } = await sharedRedis("the redis store tests");

describe.skipIf(skipped)(`redisStore on ${redisUrl}`, () => {
  runStoreContract(
    "redis",
    () => {
      const keyPrefix = freshPrefix();
      const store = redisStore({ url: redisUrl, keyPrefix });
      return {
        store,
        secondInstance: () => {
          const second = redisStore({ url: redisUrl, keyPrefix });
          return { store: second, cleanup: () => second.close() };
        },
        cleanup: async () => {
          await store.close();
          await deleteKeys(keyPrefix);
        },
      };
    },
    { vitest },
  );

  it("never closes a client it was given", async () => {
    const keyPrefix = freshPrefix();
    const client = new Redis(redisUrl);
    const store = redisStore({ client, keyPrefix });
    await store.setup();
    await store.createRun({ id: "run-1", createdAt: 1 });
    await store.close();
    expect(await client.exists(`${keyPrefix}run:run-1`)).toBe(1);
    expect(client.status).toBe("ready");
    client.disconnect();
    expect(await deleteKeys(keyPrefix)).toBeGreaterThan(0);
  });

  it("falls back to EVAL when the server lost its scripts", async () => {
    const keyPrefix = freshPrefix();
    const store = redisStore({ url: redisUrl, keyPrefix });
    try {
      await store.createRun({ id: "run-1", createdAt: 1 });
      await admin.script("FLUSH");
      const again = await store.createRun({ id: "run-1", createdAt: 1 });
      expect(again.created).toBe(false);
    } finally {
      await store.close();
      await deleteKeys(keyPrefix);
    }
  });
});

describe("redisStore", () => {
  it("fails fast with STORE_UNAVAILABLE when nothing listens at the address", async () => {
    const store = redisStore({ url: "redis://127.0.0.1:1", keyPrefix: freshPrefix() });
    const started = Date.now();
    const error = await store.getRun("run-1").catch((failure: unknown) => failure);
    expect(OrchestrateError.isInstance(error) && error.code).toBe("STORE_UNAVAILABLE");
    const append = await store
      .append({
        runId: "run-1",
        expectedSeq: 0,
        events: [{ type: "task-start", runId: "run-1", seq: 1, at: 1, taskId: "t1", attempt: 1 }],
        status: "running",
      })
      .catch((failure: unknown) => failure);
    expect(OrchestrateError.isInstance(append) && append.code).toBe("STORE_UNAVAILABLE");
    expect(Date.now() - started).toBeLessThan(3_000);
    await store.close();
  });

  it("fails fast with STORE_UNAVAILABLE when the server accepts connections but never answers", async () => {
    const server = await silentServer();
    const store = redisStore({ url: `redis://127.0.0.1:${server.port}`, commandTimeoutMs: 300 });
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
    const invalid = (options: unknown) => () => redisStore(options as RedisStoreOptions);
    expect(invalid({ url: "http://127.0.0.1:6379" })).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringContaining('"url"') }),
    );
    expect(invalid({ url: redisUrl, keyPrefix: "" })).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringContaining('"keyPrefix"') }),
    );
    expect(invalid({ url: redisUrl, commandTimeoutMs: -5 })).toThrow(
      expect.objectContaining({
        code: "INVALID_ARGUMENT",
        message: expect.stringContaining('"commandTimeoutMs"'),
      }),
    );
  });
});
