import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { sqliteStore } from "./sqlite-store.js";

const run = promisify(execFile);
const repositoryRoot = new URL("../../../", import.meta.url).pathname;
const worker = new URL("../test/append-worker.ts", import.meta.url).pathname;

describe("sqliteStore shared by two processes", () => {
  it("keeps one gap-free log when two processes append to the same run at once", async () => {
    const directory = mkdtempSync(join(tmpdir(), "orchestrator-workers-sqlite-"));
    try {
      const path = join(directory, "shared.db");
      const store = sqliteStore({ path });
      await store.createRun({ id: "shared", createdAt: Date.now() });
      const perWriter = 1_000;
      // tsx resolves the workspace packages from the repository's tsconfig paths.
      const writers = ["left", "right"].map((name) =>
        run(process.execPath, ["--import", "tsx", worker, path, "shared", String(perWriter), name], {
          cwd: repositoryRoot,
        }),
      );
      const reports = (await Promise.all(writers)).map(
        (output) => JSON.parse(output.stdout) as { stored: number; conflicts: number },
      );
      expect(reports.map((report) => report.stored)).toEqual([perWriter, perWriter]);
      const events = await store.readEvents("shared");
      expect(events.map((event) => event.seq)).toEqual(
        Array.from({ length: 2 * perWriter }, (_, index) => index + 1),
      );
      expect(new Set(events.map((event) => (event.type === "task-start" ? event.taskId : ""))).size).toBe(
        2 * perWriter,
      );
      expect((await store.getRun("shared"))?.lastSeq).toBe(2 * perWriter);
      await store.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
