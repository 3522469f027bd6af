import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { expectRecovered } from "../../../test-support/recovery/expect-recovered.js";
import { runRecoveryScenario } from "../../../test-support/recovery/run-recovery-scenario.js";

const directory = mkdtempSync(join(tmpdir(), "orchestrator-workers-sqlite-recovery-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe("sqliteStore crash recovery", () => {
  it("finishes a run whose process was SIGKILLed, in another process, without re-running completed subtasks", async () => {
    const result = await runRecoveryScenario({ spec: { kind: "sqlite", path: join(directory, "runs.db") } });
    expectRecovered(result);
  }, 30_000);
});
