import type { RunStatus } from "../../types/status.js";
import type { ContractContext } from "./contract-context.js";
import { expectErrorCode, runEndEvent, testEvents, uniqueId } from "./test-events.js";

/** Cases for `deleteRuns`: only final runs last updated before the cut-off go, with everything they own. */
export function retentionCases(context: ContractContext): void {
  const { expect } = context;
  context.test(
    "deleteRuns deletes final runs last updated before the cut-off, with their events",
    async () => {
      const now = Date.now();
      const old = now - 100_000;
      const cutOff = now - 50_000;
      const runs: Array<{ id: string; status: RunStatus; at: number; deleted: boolean }> = [
        { id: uniqueId("old-completed"), status: "completed", at: old, deleted: true },
        { id: uniqueId("old-failed"), status: "failed", at: old, deleted: true },
        { id: uniqueId("old-cancelled"), status: "cancelled", at: old, deleted: true },
        { id: uniqueId("recent-completed"), status: "completed", at: now, deleted: false },
        { id: uniqueId("at-cut-off"), status: "completed", at: cutOff, deleted: false },
        { id: uniqueId("old-running"), status: "running", at: old, deleted: false },
        { id: uniqueId("old-queued"), status: "queued", at: old, deleted: false },
      ];
      for (const run of runs) {
        await context.store.createRun({ id: run.id, tenant: "retention", createdAt: old - 1_000 });
        if (run.status === "queued") continue;
        const events = testEvents(run.id, { from: 1, count: 3, at: old });
        const last =
          run.status === "running"
            ? testEvents(run.id, { from: 4, count: 1, at: run.at })[0]!
            : runEndEvent(run.id, 4, run.status, run.at);
        await context.store.append({
          runId: run.id,
          expectedSeq: 0,
          events: [...events, last],
          status: run.status,
        });
        await context.store.acquireLease(run.id, "owner-a", 60_000);
      }

      expect(await context.store.deleteRuns({ before: cutOff })).toBe(3);
      for (const run of runs) {
        if (run.deleted) {
          expect(await context.store.getRun(run.id)).toBeUndefined();
          expect(await context.store.readEvents(run.id)).toEqual([]);
          await expectErrorCode(context.store.acquireLease(run.id, "owner-b", 1_000), "RUN_NOT_FOUND");
        } else {
          expect((await context.store.getRun(run.id))?.status).toBe(run.status);
          expect(await context.store.readEvents(run.id)).toHaveLength(run.status === "queued" ? 0 : 4);
        }
      }
      const listed = await context.store.listRuns({ tenant: "retention", limit: 100 });
      expect(listed.runs.map((run) => run.id).sort()).toEqual(
        runs
          .filter((run) => !run.deleted)
          .map((run) => run.id)
          .sort(),
      );
      expect(await context.store.deleteRuns({ before: cutOff })).toBe(0);
    },
  );

  context.test("deleteRuns frees the idempotency key of a deleted run", async () => {
    const id = uniqueId("run");
    await context.store.createRun({ id, tenant: "t", idempotencyKey: "reused", createdAt: 1_000 });
    await context.store.append({
      runId: id,
      expectedSeq: 0,
      events: [runEndEvent(id, 1, "completed", 2_000)],
      status: "completed",
    });
    expect(await context.store.deleteRuns({ before: 3_000 })).toBe(1);
    const again = await context.store.createRun({
      id: uniqueId("again"),
      tenant: "t",
      idempotencyKey: "reused",
      createdAt: 4_000,
    });
    expect(again.created).toBe(true);
    expect(again.run.id).not.toBe(id);
  });
}
