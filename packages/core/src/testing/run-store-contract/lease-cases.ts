import { sleep } from "../../run/sleep.js";
import type { ContractContext } from "./contract-context.js";
import { expectErrorCode, runEndEvent, testEvents, uniqueId } from "./test-events.js";

/** Cases for leases: acquire, renew and release by the owner only, expiry and takeover, recovery candidates. */
export function leaseCases(context: ContractContext): void {
  const { expect } = context;
  const createRun = async (createdAt = Date.now()) => {
    const id = uniqueId("run");
    await context.store.createRun({ id, createdAt });
    return id;
  };

  context.test(
    "acquireLease takes a free lease; its owner may take it again; nobody else while it lives",
    async () => {
      const id = await createRun();
      expect(await context.store.acquireLease(id, "owner-a", 60_000)).toBe(true);
      expect(await context.store.acquireLease(id, "owner-a", 60_000)).toBe(true);
      expect(await context.store.acquireLease(id, "owner-b", 60_000)).toBe(false);
      const other = await context.secondInstance();
      if (other) expect(await other.acquireLease(id, "owner-c", 60_000)).toBe(false);
    },
  );

  context.test("renewLease extends only the owner's lease", async () => {
    const id = await createRun();
    expect(await context.store.renewLease(id, "owner-a", 60_000)).toBe(false);
    await context.store.acquireLease(id, "owner-a", 400);
    expect(await context.store.renewLease(id, "owner-b", 60_000)).toBe(false);
    expect(await context.store.renewLease(id, "owner-a", 60_000)).toBe(true);
    await sleep(600);
    // Renewed: the first 400 ms ttl has passed, the lease still holds.
    expect(await context.store.acquireLease(id, "owner-b", 60_000)).toBe(false);
  });

  context.test("releaseLease frees the owner's lease and does nothing for anybody else", async () => {
    const id = await createRun();
    await context.store.acquireLease(id, "owner-a", 60_000);
    await context.store.releaseLease(id, "owner-b");
    expect(await context.store.acquireLease(id, "owner-b", 60_000)).toBe(false);
    await context.store.releaseLease(id, "owner-a");
    expect(await context.store.acquireLease(id, "owner-b", 60_000)).toBe(true);
    await context.store.releaseLease(uniqueId("missing"), "owner-a");
  });

  context.test(
    "an expired lease is taken over, and its former owner can no longer renew or release it",
    async () => {
      const id = await createRun();
      expect(await context.store.acquireLease(id, "owner-a", 50)).toBe(true);
      await sleep(150);
      expect(await context.store.renewLease(id, "owner-a", 60_000)).toBe(false);
      expect(await context.store.acquireLease(id, "owner-b", 60_000)).toBe(true);
      expect(await context.store.renewLease(id, "owner-a", 60_000)).toBe(false);
      await context.store.releaseLease(id, "owner-a");
      expect(await context.store.acquireLease(id, "owner-a", 60_000)).toBe(false);
      expect(await context.store.renewLease(id, "owner-b", 60_000)).toBe(true);
    },
  );

  context.test("acquireLease on an unknown run throws RUN_NOT_FOUND; renewLease answers false", async () => {
    const id = uniqueId("missing");
    await expectErrorCode(context.store.acquireLease(id, "owner-a", 60_000), "RUN_NOT_FOUND");
    expect(await context.store.renewLease(id, "owner-a", 60_000)).toBe(false);
  });

  context.test(
    "findExpiredLeases answers non-final runs without a live lease, oldest first, up to limit",
    async () => {
      const base = Date.now() - 1_000;
      const ids = {
        noLease: uniqueId("no-lease"),
        completed: uniqueId("completed"),
        leased: uniqueId("leased"),
        createdLeased: uniqueId("created-leased"),
        running: uniqueId("running"),
        failed: uniqueId("failed"),
        released: uniqueId("released"),
        cancelled: uniqueId("cancelled"),
      };
      const order = Object.values(ids);
      // Created out of order: candidates are answered by createdAt.
      for (const index of [4, 1, 7, 0, 2, 6, 5, 3]) {
        const id = order[index]!;
        const lease = id === ids.createdLeased ? { owner: "owner-a", ttlMs: 60_000 } : undefined;
        await context.store.createRun({ id, createdAt: base + index, ...(lease ? { lease } : {}) });
      }
      await context.store.acquireLease(ids.leased, "owner-a", 60_000);
      await context.store.acquireLease(ids.released, "owner-a", 60_000);
      await context.store.releaseLease(ids.released, "owner-a");
      await context.store.acquireLease(ids.failed, "owner-a", 50);
      await context.store.append({
        runId: ids.running,
        expectedSeq: 0,
        events: testEvents(ids.running, { from: 1, count: 1 }),
        status: "running",
      });
      for (const [id, status] of [
        [ids.completed, "completed"],
        [ids.failed, "failed"],
        [ids.cancelled, "cancelled"],
      ] as const) {
        await context.store.append({
          runId: id,
          expectedSeq: 0,
          events: [runEndEvent(id, 1, status)],
          status,
        });
      }
      await sleep(100);

      const now = Date.now();
      expect(await context.store.findExpiredLeases({ now, limit: 100 })).toEqual([
        ids.noLease,
        ids.running,
        ids.released,
      ]);
      const later = now + 120_000;
      expect(await context.store.findExpiredLeases({ now: later, limit: 100 })).toEqual([
        ids.noLease,
        ids.leased,
        ids.createdLeased,
        ids.running,
        ids.released,
      ]);
      expect(await context.store.findExpiredLeases({ now: later, limit: 2 })).toEqual([
        ids.noLease,
        ids.leased,
      ]);
    },
  );
}
