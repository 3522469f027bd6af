import { sleep } from "../../run/sleep.js";
import type { StoreListener } from "../../store/run-store.js";
import type { PersistedRunEvent } from "../../types/run-event.js";
import type { ContractContext } from "./contract-context.js";
import { testEvents, uniqueId, waitFor } from "./test-events.js";

/** Collects what a subscription pushes, and checks it arrives in order without duplicates. */
function collector(): { listener: StoreListener; seqs: () => number[]; events: PersistedRunEvent[] } {
  const events: PersistedRunEvent[] = [];
  return {
    events,
    listener: (batch) => events.push(...batch),
    seqs: () => events.map((event) => event.seq),
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

/** Cases for the optional `subscribe` capability; skipped, with a note, for stores without it. */
export function subscribeCases(context: ContractContext): void {
  const { expect } = context;
  const subscribeOf = (skip: (note: string) => never) => {
    const subscribe = context.store.subscribe?.bind(context.store);
    if (!subscribe) skip("the store has no subscribe capability; readers poll readEvents");
    return subscribe;
  };

  context.test(
    "subscribe replays events after `after`, then pushes new appends in order",
    async ({ skip }) => {
      const subscribe = subscribeOf(skip);
      const id = uniqueId("run");
      await context.store.createRun({ id, createdAt: Date.now() });
      const first = testEvents(id, { from: 1, count: 4 });
      await context.store.append({ runId: id, expectedSeq: 0, events: first, status: "running" });
      const received = collector();
      const unsubscribe = subscribe(id, 2, received.listener);
      try {
        await waitFor(() => received.events.length >= 2, 5_000, "the replay of seqs 3 and 4");
        let seq = 4;
        for (const size of [1, 3, 2]) {
          await context.store.append({
            runId: id,
            expectedSeq: seq,
            events: testEvents(id, { from: seq + 1, count: size }),
            status: "running",
          });
          seq += size;
        }
        await waitFor(() => received.events.length >= 8, 5_000, "seqs 3 to 10");
        await sleep(50);
        expect(received.seqs()).toEqual(range(3, 10));
        expect(received.events.slice(0, 2)).toEqual(first.slice(2));
      } finally {
        unsubscribe();
      }
    },
  );

  context.test("subscribe with `after` at the end pushes nothing until the next append", async ({ skip }) => {
    const subscribe = subscribeOf(skip);
    const id = uniqueId("run");
    await context.store.createRun({ id, createdAt: Date.now() });
    await context.store.append({
      runId: id,
      expectedSeq: 0,
      events: testEvents(id, { from: 1, count: 2 }),
      status: "running",
    });
    const received = collector();
    const unsubscribe = subscribe(id, 2, received.listener);
    try {
      await sleep(100);
      expect(received.events).toEqual([]);
      await context.store.append({
        runId: id,
        expectedSeq: 2,
        events: testEvents(id, { from: 3, count: 1 }),
        status: "running",
      });
      await waitFor(() => received.events.length >= 1, 5_000, "seq 3");
      expect(received.seqs()).toEqual([3]);
    } finally {
      unsubscribe();
    }
  });

  context.test(
    "subscribe pushes events appended through a second instance of the store",
    async ({ skip }) => {
      const subscribe = subscribeOf(skip);
      const other = await context.secondInstance();
      if (!other) return skip("the factory opens no second instance on the same backend");
      const id = uniqueId("run");
      await context.store.createRun({ id, createdAt: Date.now() });
      const received = collector();
      const unsubscribe = subscribe(id, 0, received.listener);
      try {
        // Appends start once the subscription had a moment to settle; delivery must not depend on it.
        await sleep(50);
        let seq = 0;
        for (const size of [2, 1, 3]) {
          await other.append({
            runId: id,
            expectedSeq: seq,
            events: testEvents(id, { from: seq + 1, count: size }),
            status: "running",
          });
          seq += size;
        }
        await waitFor(() => received.events.length >= 6, 5_000, "six events appended by the other instance");
        await sleep(50);
        expect(received.seqs()).toEqual(range(1, 6));
      } finally {
        unsubscribe();
      }
    },
  );

  context.test("unsubscribe stops delivery", async ({ skip }) => {
    const subscribe = subscribeOf(skip);
    const id = uniqueId("run");
    await context.store.createRun({ id, createdAt: Date.now() });
    const received = collector();
    const unsubscribe = subscribe(id, 0, received.listener);
    await context.store.append({
      runId: id,
      expectedSeq: 0,
      events: testEvents(id, { from: 1, count: 1 }),
      status: "running",
    });
    await waitFor(() => received.events.length >= 1, 5_000, "seq 1");
    unsubscribe();
    await context.store.append({
      runId: id,
      expectedSeq: 1,
      events: testEvents(id, { from: 2, count: 2 }),
      status: "running",
    });
    await sleep(300);
    expect(received.seqs()).toEqual([1]);
  });
}
