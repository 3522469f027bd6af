import { storeOutageTests } from "../../../test-support/outage/store-outage-tests.js";
import { initdbPath, startDedicatedPostgres } from "../../../test-support/servers/dedicated-postgres.js";
import { requiredOrSkipped } from "../../../test-support/servers/required-or-skipped.js";
import { postgresStore } from "./postgres-store.js";

// These tests stop and restart Postgres, so they run a throwaway cluster of their own, never the shared server.
const missing = initdbPath
  ? undefined
  : "initdb is not in PATH nor under /usr/lib/postgresql/*/bin (install the PostgreSQL server)";
const skipReason = requiredOrSkipped(missing, "the Postgres outage tests") ? missing : undefined;
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
