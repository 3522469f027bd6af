import { storeOutageTests } from "../../../test-support/outage/store-outage-tests.js";
import { redisServerPath, startDedicatedRedis } from "../../../test-support/servers/dedicated-redis.js";
import { redisStore } from "./redis-store.js";

// These tests stop and restart Redis, so they run a redis-server of their own, never the shared one.
const skipReason = redisServerPath ? undefined : "redis-server is not installed";
if (skipReason) {
  const message =
    "redis-server is not in PATH: the Redis outage tests cannot run. Install Redis (redis-server).";
  if (process.env.CI) throw new Error(`${message} They are required when CI is set.`);
  console.warn(`${message} Skipping them.`);
}
storeOutageTests({
  name: "Redis",
  ...(skipReason === undefined ? {} : { skipReason }),
  startServer: startDedicatedRedis,
  openStore: (server, timeoutMs) =>
    redisStore({
      url: server.url,
      keyPrefix: `outage-test:${crypto.randomUUID()}:`,
      commandTimeoutMs: timeoutMs,
      connectTimeoutMs: timeoutMs,
    }),
});
