import { storeOutageTests } from "../../../test-support/outage/store-outage-tests.js";
import { redisServerPath, startDedicatedRedis } from "../../../test-support/servers/dedicated-redis.js";
import { requiredOrSkipped } from "../../../test-support/servers/required-or-skipped.js";
import { redisStore } from "./redis-store.js";

// These tests stop and restart Redis, so they run a redis-server of their own, never the shared one.
const missing = redisServerPath ? undefined : "redis-server is not in PATH (install Redis)";
const skipReason = requiredOrSkipped(missing, "the Redis outage tests") ? missing : undefined;
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
