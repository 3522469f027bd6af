import { describe, it } from "vitest";
import { expectRecovered } from "../../../test-support/recovery/expect-recovered.js";
import { runRecoveryScenario } from "../../../test-support/recovery/run-recovery-scenario.js";
import { sharedRedis } from "../test/shared-redis.js";

const { url: redisUrl, skipped, freshPrefix, deleteKeys } = await sharedRedis("the redis recovery test");

describe.skipIf(skipped)(`redisStore crash recovery on ${redisUrl}`, () => {
  it("finishes a run whose process was SIGKILLed, in another process, without re-running completed subtasks", async () => {
    const keyPrefix = freshPrefix();
    try {
      const result = await runRecoveryScenario({ spec: { kind: "redis", url: redisUrl, keyPrefix } });
      expectRecovered(result);
    } finally {
      await deleteKeys(keyPrefix);
    }
  }, 30_000);
});
