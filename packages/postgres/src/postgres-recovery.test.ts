import pg from "pg";
import { afterAll, describe, it } from "vitest";
import { expectRecovered } from "../../../test-support/recovery/expect-recovered.js";
import { runRecoveryScenario } from "../../../test-support/recovery/run-recovery-scenario.js";

const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const admin = new pg.Pool({ connectionString: databaseUrl, connectionTimeoutMillis: 2_000, max: 1 });
admin.on("error", () => undefined);
const unreachableReason = await admin.query("SELECT 1").then(
  () => undefined,
  (error: unknown) => String(error),
);
if (unreachableReason !== undefined) {
  const message = `Postgres at ${databaseUrl} is unreachable (${unreachableReason}): the postgres recovery test cannot run. Start it, or set DATABASE_URL.`;
  if (process.env.CI) throw new Error(`${message} It is required when CI is set.`);
  console.warn(`${message} Skipping it.`);
}

afterAll(() => admin.end());

describe.skipIf(unreachableReason !== undefined)(`postgresStore crash recovery on ${databaseUrl}`, () => {
  it("finishes a run whose process was SIGKILLed, in another process, without re-running completed subtasks", async () => {
    const schema = `test_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;
    try {
      const result = await runRecoveryScenario({
        spec: { kind: "postgres", connectionString: databaseUrl, schema },
      });
      expectRecovered(result);
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  }, 30_000);
});
