import type { ContractContext } from "./contract-context.js";
import { testEvents, uniqueId } from "./test-events.js";

/** Cases for `createRun` and `getRun`: atomic, idempotent on the id and on `(tenant, idempotencyKey)`. */
export function createRunCases(context: ContractContext): void {
  const { expect } = context;
  context.test("createRun stores a queued run with lastSeq 0 and getRun answers it", async () => {
    const id = uniqueId("run");
    const createdAt = Date.now();
    const result = await context.store.createRun({
      id,
      tenant: "tenant-a",
      idempotencyKey: "key-1",
      fingerprint: "fingerprint-1",
      createdAt,
    });
    const expected = {
      id,
      status: "queued",
      tenant: "tenant-a",
      idempotencyKey: "key-1",
      fingerprint: "fingerprint-1",
      lastSeq: 0,
      createdAt,
      updatedAt: createdAt,
    };
    expect(result).toEqual({ run: expected, created: true });
    expect(await context.store.getRun(id)).toEqual(expected);
  });

  context.test("createRun without tenant, key or fingerprint leaves them out of the record", async () => {
    const id = uniqueId("run");
    const { run } = await context.store.createRun({ id, createdAt: 1_700_000_000_000 });
    expect(run.tenant).toBeUndefined();
    expect(run.idempotencyKey).toBeUndefined();
    expect(run.fingerprint).toBeUndefined();
    expect(await context.store.getRun(id)).toEqual({
      id,
      status: "queued",
      lastSeq: 0,
      createdAt: 1_700_000_000_000,
      updatedAt: 1_700_000_000_000,
    });
  });

  context.test("getRun answers undefined for an unknown id", async () => {
    expect(await context.store.getRun(uniqueId("missing"))).toBeUndefined();
  });

  context.test("createRun with an existing id answers the stored run with created: false", async () => {
    const id = uniqueId("run");
    const createdAt = Date.now();
    await context.store.createRun({ id, createdAt });
    await context.store.append({
      runId: id,
      expectedSeq: 0,
      events: testEvents(id, { from: 1, count: 2, at: createdAt + 5 }),
      status: "running",
    });
    const again = await context.store.createRun({ id, tenant: "other", createdAt: createdAt + 10 });
    expect(again.created).toBe(false);
    expect(again.run).toMatchObject({ id, status: "running", lastSeq: 2, createdAt });
    expect(again.run.tenant).toBeUndefined();
  });

  context.test("createRun with the same tenant and idempotencyKey answers the first run", async () => {
    const first = uniqueId("first");
    const second = uniqueId("second");
    const createdAt = Date.now();
    await context.store.createRun({
      id: first,
      tenant: "t",
      idempotencyKey: "k",
      fingerprint: "f1",
      createdAt,
    });
    const replay = await context.store.createRun({
      id: second,
      tenant: "t",
      idempotencyKey: "k",
      fingerprint: "f2",
      createdAt: createdAt + 1,
    });
    expect(replay.created).toBe(false);
    expect(replay.run).toMatchObject({ id: first, fingerprint: "f1", createdAt });
    expect(await context.store.getRun(second)).toBeUndefined();
  });

  context.test("the same idempotencyKey in another tenant, or without one, creates another run", async () => {
    const createdAt = Date.now();
    const inA = await context.store.createRun({
      id: uniqueId("a"),
      tenant: "a",
      idempotencyKey: "k",
      createdAt,
    });
    const inB = await context.store.createRun({
      id: uniqueId("b"),
      tenant: "b",
      idempotencyKey: "k",
      createdAt,
    });
    const inNone = await context.store.createRun({ id: uniqueId("none"), idempotencyKey: "k", createdAt });
    const inNoneAgain = await context.store.createRun({
      id: uniqueId("none"),
      idempotencyKey: "k",
      createdAt,
    });
    expect([inA.created, inB.created, inNone.created, inNoneAgain.created]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(new Set([inA.run.id, inB.run.id, inNone.run.id]).size).toBe(3);
    expect(inNoneAgain.run.id).toBe(inNone.run.id);
  });

  context.test("concurrent createRun calls with one idempotencyKey create exactly one run", async () => {
    const other = (await context.secondInstance()) ?? context.store;
    const createdAt = Date.now();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        (index % 2 === 0 ? context.store : other).createRun({
          id: uniqueId(`racer-${index}`),
          tenant: "race",
          idempotencyKey: "one-key",
          createdAt,
        }),
      ),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.run.id)).size).toBe(1);
  });

  context.test("createRun with a lease holds it for its owner from the start", async () => {
    const id = uniqueId("run");
    await context.store.createRun({ id, createdAt: Date.now(), lease: { owner: "owner-a", ttlMs: 60_000 } });
    expect(await context.store.acquireLease(id, "owner-b", 60_000)).toBe(false);
    expect(await context.store.renewLease(id, "owner-a", 60_000)).toBe(true);
    expect(await context.store.findExpiredLeases({ now: Date.now(), limit: 10 })).not.toContain(id);
  });
}
