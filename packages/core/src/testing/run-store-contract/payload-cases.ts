import type { ContractContext } from "./contract-context.js";
import { taskEndEvent, testEvents, uniqueId } from "./test-events.js";

const mebibyte = 1024 * 1024;

/** Strings that break naive encodings: emoji sequences, CJK, combining marks with no base, NUL, quotes. */
const awkwardText = [
  "emoji 👩🏽‍💻🚀🇫🇷",
  "CJK 漢字かなカナ한국어",
  "lone combining marks \u0301\u0308\u20dd",
  "NUL a\u0000b",
  "right-to-left שלום مرحبا",
  'quotes and escapes "\\" \' ` \n\t\r',
  "surrogate-free astral 𝄞𐍈",
].join(" | ");

/** Cases for what events carry: big payloads, any Unicode, long logs. */
export function payloadCases(context: ContractContext): void {
  const { expect } = context;
  context.test("1 MiB payloads round-trip unchanged, two in one batch", async () => {
    const id = uniqueId("run");
    await context.store.createRun({ id, createdAt: Date.now() });
    const ascii = "a1-".repeat(Math.ceil(mebibyte / 3)).slice(0, mebibyte);
    // About 1 MiB of UTF-8 made of 3- and 4-byte sequences.
    const wide = "漢字👩‍💻".repeat(Math.floor(mebibyte / 21));
    const events = [
      taskEndEvent(id, 1, "ascii", { text: ascii }),
      taskEndEvent(id, 2, "wide", { text: wide }),
    ];
    await context.store.append({ runId: id, expectedSeq: 0, events, status: "running" });
    const stored = await context.store.readEvents(id);
    // Lengths first, so that a failure does not print two mebibytes of diff.
    const lengths = (list: typeof events) =>
      list.map((event) => (event.type === "task-end" ? JSON.stringify(event.output).length : 0));
    expect(lengths(stored)).toEqual(lengths(events));
    expect(stored).toEqual(events);
  });

  context.test("Unicode in events, run ids, tenants and idempotency keys round-trips unchanged", async () => {
    const id = uniqueId("run 🚀 漢字 é");
    const tenant = "tenant:🇫🇷:漢字:\u0301";
    const idempotencyKey = "key 👩‍💻 カナ \u0308";
    // NUL only inside events: Postgres text columns cannot hold it, and ids, tenants and keys never need it.
    const fingerprint = awkwardText.replace("\u0000", "");
    await context.store.createRun({ id, tenant, idempotencyKey, fingerprint, createdAt: 1 });
    const events = [
      taskEndEvent(id, 1, `task ${awkwardText}`, { text: awkwardText, [awkwardText]: [awkwardText] }),
      ...testEvents(id, { from: 2, count: 3, output: () => awkwardText }),
    ];
    await context.store.append({ runId: id, expectedSeq: 0, events, status: "running" });
    expect(await context.store.readEvents(id)).toEqual(events);
    expect(await context.store.getRun(id)).toMatchObject({ id, tenant, idempotencyKey, fingerprint });
    const replay = await context.store.createRun({
      id: uniqueId("other"),
      tenant,
      idempotencyKey,
      createdAt: 2,
    });
    expect(replay).toMatchObject({ created: false, run: { id } });
    const page = await context.store.listRuns({ tenant, limit: 10 });
    expect(page.runs.map((run) => run.id)).toEqual([id]);
  });

  context.test("10,000 events in one run, appended in batches, read back complete and in order", async () => {
    const id = uniqueId("run");
    await context.store.createRun({ id, createdAt: Date.now() });
    const total = 10_000;
    const batch = 500;
    for (let seq = 0; seq < total; seq += batch) {
      await context.store.append({
        runId: id,
        expectedSeq: seq,
        events: testEvents(id, { from: seq + 1, count: batch }),
        status: "running",
      });
    }
    const stored = await context.store.readEvents(id);
    expect(stored).toHaveLength(total);
    expect(stored.every((event, index) => event.seq === index + 1 && event.runId === id)).toBe(true);
    expect((await context.store.readEvents(id, { after: 9_990 })).map((event) => event.seq)).toEqual(
      Array.from({ length: 10 }, (_, index) => 9_991 + index),
    );
    expect(
      (await context.store.readEvents(id, { after: 5_000, limit: 2 })).map((event) => event.seq),
    ).toEqual([5_001, 5_002]);
    expect((await context.store.getRun(id))?.lastSeq).toBe(total);
  });
}
