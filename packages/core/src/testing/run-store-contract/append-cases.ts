import type { ContractContext } from "./contract-context.js";
import { expectErrorCode, runEndEvent, testEvents, uniqueId } from "./test-events.js";

/** Cases for `append` and `readEvents`: optimistic concurrency, ordering, read-after-append, status. */
export function appendCases(context: ContractContext): void {
  const { expect } = context;
  const createRun = async (createdAt = Date.now()) => {
    const id = uniqueId("run");
    await context.store.createRun({ id, createdAt });
    return id;
  };

  context.test("append stores events and the record, and readEvents reads them back at once", async () => {
    const id = await createRun();
    const events = testEvents(id, { from: 1, count: 3, at: 1_700_000_000_123 });
    await context.store.append({ runId: id, expectedSeq: 0, events, status: "running" });
    expect(await context.store.readEvents(id)).toEqual(events);
    expect(await context.store.getRun(id)).toMatchObject({
      status: "running",
      lastSeq: 3,
      updatedAt: 1_700_000_000_123,
    });
  });

  context.test("append keeps events in seq order over batches of different sizes", async () => {
    const id = await createRun();
    let seq = 0;
    for (const size of [1, 3, 7, 2, 1]) {
      await context.store.append({
        runId: id,
        expectedSeq: seq,
        events: testEvents(id, { from: seq + 1, count: size }),
        status: "running",
      });
      seq += size;
    }
    const stored = await context.store.readEvents(id);
    expect(stored.map((event) => event.seq)).toEqual(Array.from({ length: 14 }, (_, index) => index + 1));
    expect(stored.map((event) => event.type)).toEqual(
      testEvents(id, { from: 1, count: 14 }).map((e) => e.type),
    );
  });

  context.test("readEvents answers events after a seq, at most limit of them", async () => {
    const id = await createRun();
    await context.store.append({
      runId: id,
      expectedSeq: 0,
      events: testEvents(id, { from: 1, count: 10 }),
      status: "running",
    });
    const seqs = async (options: { after?: number; limit?: number }) =>
      (await context.store.readEvents(id, options)).map((event) => event.seq);
    expect(await seqs({ after: 3, limit: 2 })).toEqual([4, 5]);
    expect(await seqs({ after: 8 })).toEqual([9, 10]);
    expect(await seqs({ limit: 3 })).toEqual([1, 2, 3]);
    expect(await seqs({ after: 10 })).toEqual([]);
    expect(await seqs({ after: 25, limit: 5 })).toEqual([]);
    expect(await context.store.readEvents(uniqueId("missing"))).toEqual([]);
  });

  context.test("append with a wrong expectedSeq throws STORE_CONFLICT and stores nothing", async () => {
    const id = await createRun();
    const first = testEvents(id, { from: 1, count: 2, at: 1_000 });
    await context.store.append({ runId: id, expectedSeq: 0, events: first, status: "running" });
    const stale = context.store.append({
      runId: id,
      expectedSeq: 0,
      events: testEvents(id, { from: 1, count: 1 }),
      status: "failed",
    });
    await expectErrorCode(stale, "STORE_CONFLICT");
    const ahead = context.store.append({
      runId: id,
      expectedSeq: 5,
      events: testEvents(id, { from: 6, count: 1 }),
      status: "failed",
    });
    await expectErrorCode(ahead, "STORE_CONFLICT");
    expect(await context.store.readEvents(id)).toEqual(first);
    expect(await context.store.getRun(id)).toMatchObject({ status: "running", lastSeq: 2, updatedAt: 1_000 });
  });

  context.test("append to an unknown run throws RUN_NOT_FOUND", async () => {
    const id = uniqueId("missing");
    const append = context.store.append({
      runId: id,
      expectedSeq: 0,
      events: testEvents(id, { from: 1, count: 1 }),
      status: "running",
    });
    await expectErrorCode(append, "RUN_NOT_FOUND");
    expect(await context.store.getRun(id)).toBeUndefined();
  });

  context.test(
    "append rejects an empty batch and seqs or run ids that do not fit with INVALID_ARGUMENT",
    async () => {
      const id = await createRun();
      const append = (events: ReturnType<typeof testEvents>) =>
        context.store.append({ runId: id, expectedSeq: 0, events, status: "running" });
      await expectErrorCode(append([]), "INVALID_ARGUMENT");
      await expectErrorCode(append(testEvents(id, { from: 2, count: 2 })), "INVALID_ARGUMENT");
      const gap = [...testEvents(id, { from: 1, count: 1 }), ...testEvents(id, { from: 3, count: 1 })];
      await expectErrorCode(append(gap), "INVALID_ARGUMENT");
      await expectErrorCode(append(testEvents("another-run", { from: 1, count: 1 })), "INVALID_ARGUMENT");
      expect(await context.store.readEvents(id)).toEqual([]);
      expect(await context.store.getRun(id)).toMatchObject({ status: "queued", lastSeq: 0 });
    },
  );

  context.test(
    "two writers racing on one expectedSeq: exactly one wins, the other gets STORE_CONFLICT",
    async () => {
      const other = (await context.secondInstance()) ?? context.store;
      const id = await createRun();
      let seq = 0;
      for (let round = 0; round < 10; round++) {
        const left = testEvents(id, { from: seq + 1, count: 2, output: () => `left ${round}` });
        const right = testEvents(id, { from: seq + 1, count: 3, output: () => `right ${round}` });
        const outcomes = await Promise.allSettled([
          context.store.append({ runId: id, expectedSeq: seq, events: left, status: "running" }),
          other.append({ runId: id, expectedSeq: seq, events: right, status: "running" }),
        ]);
        const winners = outcomes.filter((outcome) => outcome.status === "fulfilled");
        expect(winners).toHaveLength(1);
        const loser = outcomes.find((outcome) => outcome.status === "rejected");
        await expectErrorCode(Promise.reject(loser?.reason), "STORE_CONFLICT");
        const winning = outcomes[0]?.status === "fulfilled" ? left : right;
        expect(await context.store.readEvents(id, { after: seq })).toEqual(winning);
        seq += winning.length;
        expect((await context.store.getRun(id))?.lastSeq).toBe(seq);
      }
    },
  );

  context.test("append keeps the status it is given in the record", async () => {
    const id = await createRun();
    await context.store.append({
      runId: id,
      expectedSeq: 0,
      events: testEvents(id, { from: 1, count: 1 }),
      status: "running",
    });
    expect((await context.store.getRun(id))?.status).toBe("running");
    await context.store.append({
      runId: id,
      expectedSeq: 1,
      events: [runEndEvent(id, 2, "completed", 2_000)],
      status: "completed",
    });
    expect(await context.store.getRun(id)).toMatchObject({
      status: "completed",
      lastSeq: 2,
      updatedAt: 2_000,
    });
  });
}
