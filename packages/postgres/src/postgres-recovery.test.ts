import { describe, it } from "vitest";
import { expectRecovered } from "../../../test-support/recovery/expect-recovered.js";
import { runRecoveryScenario } from "../../../test-support/recovery/run-recovery-scenario.js";
import { sharedPostgres } from "../test/shared-postgres.js";

const {
  url: databaseUrl,
  skipped,
  freshSchema,
  dropSchema,
} = await sharedPostgres("the postgres recovery test");

describe.skipIf(skipped)(`postgresStore crash recovery on ${databaseUrl}`, () => {
  it("finishes a run whose process was SIGKILLed, in another process, without re-running completed subtasks", async () => {
    const schema = freshSchema();
    try {
      const result = await runRecoveryScenario({
        spec: { kind: "postgres", connectionString: databaseUrl, schema },
      });
      expectRecovered(result);
    } finally {
      await dropSchema(schema);
    }
  }, 30_000);
});
