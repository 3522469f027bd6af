import { storeOutageTests } from "../../../test-support/outage/store-outage-tests.js";
import { redisServerPath, startDedicatedRedis } from "../../../test-support/servers/dedicated-redis.js";
import { requiredOrSkipped } from "../../../test-support/servers/required-or-skipped.js";
import { redisStore } from "./redis-store.js";

// These tests stop and restart Redis, so they run a redis-server of their own, never the shared one.
const skipReason = redisServerPath ? undefined : "redis-server is not installed";
requiredOrSkipped(
  redisServerPath ? undefined : "redis-server is not in PATH (install Redis)",
  "the Redis outage tests",
);
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
