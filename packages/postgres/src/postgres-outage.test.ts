import { storeOutageTests } from "../../../test-support/outage/store-outage-tests.js";
import { initdbPath, startDedicatedPostgres } from "../../../test-support/servers/dedicated-postgres.js";
import { postgresStore } from "./postgres-store.js";

// These tests stop and restart Postgres, so they run a throwaway cluster of their own, never the shared server.
const skipReason = initdbPath ? undefined : "initdb is not installed";
if (skipReason) {
  const message =
    "initdb is not in PATH nor under /usr/lib/postgresql/*/bin: the Postgres outage tests cannot run. Install the PostgreSQL server.";
  if (process.env.CI) throw new Error(`${message} They are required when CI is set.`);
  console.warn(`${message} Skipping them.`);
}
storeOutageTests({
  name: "Postgres",
  ...(skipReason === undefined ? {} : { skipReason }),
  startServer: startDedicatedPostgres,
  openStore: (server, timeoutMs) =>
    postgresStore({
      connectionString: server.connectionString,
      schema: `outage_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`,
      connectionTimeoutMs: timeoutMs,
      queryTimeoutMs: timeoutMs,
    }),
});
