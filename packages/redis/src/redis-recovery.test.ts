import { Redis } from "ioredis";
import { afterAll, describe, it } from "vitest";
import { expectRecovered } from "../../../test-support/recovery/expect-recovered.js";
import { runRecoveryScenario } from "../../../test-support/recovery/run-recovery-scenario.js";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const admin = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
admin.on("error", () => undefined);
const unreachableReason = await admin.connect().then(
  () => admin.ping().then(() => undefined),
  (error: unknown) => String(error),
);
if (unreachableReason !== undefined) {
  const message = `Redis at ${redisUrl} is unreachable (${unreachableReason}): the redis recovery test cannot run. Start it, or set REDIS_URL.`;
  if (process.env.CI) throw new Error(`${message} It is required when CI is set.`);
  console.warn(`${message} Skipping it.`);
}

afterAll(() => admin.disconnect());

async function deleteKeys(prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await admin.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1_000);
    cursor = next;
    if (keys.length > 0) await admin.unlink(...keys);
  } while (cursor !== "0");
}

describe.skipIf(unreachableReason !== undefined)(`redisStore crash recovery on ${redisUrl}`, () => {
  it("finishes a run whose process was SIGKILLed, in another process, without re-running completed subtasks", async () => {
    const keyPrefix = `orchestrator-workers-test:${crypto.randomUUID()}:`;
    try {
      const result = await runRecoveryScenario({ spec: { kind: "redis", url: redisUrl, keyPrefix } });
      expectRecovered(result);
    } finally {
      await deleteKeys(keyPrefix);
    }
  }, 30_000);
});
