import type { ListRunsOptions, RunStore } from "../../store/run-store.js";
import type { ContractContext } from "./contract-context.js";
import { expectErrorCode, runEndEvent, testEvents, uniqueId } from "./test-events.js";

/** Every run id `listRuns` answers, page after page; fails if paging does not end. */
async function listAll(store: RunStore, options: ListRunsOptions, maxPages: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await store.listRuns(cursor === undefined ? options : { ...options, cursor });
    if (result.runs.length > options.limit) {
      throw new Error(`listRuns answered ${result.runs.length} runs for limit ${options.limit}`);
    }
    ids.push(...result.runs.map((run) => run.id));
    if (result.nextCursor === undefined) return ids;
    cursor = result.nextCursor;
  }
  throw new Error(`listRuns still answered a nextCursor after ${maxPages} pages`);
}

/** Cases for `listRuns`: newest first, keyset paging by cursor, tenant and status filters. */
export function listRunsCases(context: ContractContext): void {
  const { expect } = context;
  context.test("listRuns answers runs newest first and pages through all of them by cursor", async () => {
    const base = Date.now();
    const ids = Array.from({ length: 7 }, (_, index) => `run-${index}-${uniqueId("list")}`);
    // Created out of order: listing follows createdAt, not insertion order.
    for (const index of [3, 0, 6, 1, 5, 2, 4]) {
      await context.store.createRun({ id: ids[index]!, createdAt: base + index * 10 });
    }
    const newestFirst = [...ids].reverse();
    const firstPage = await context.store.listRuns({ limit: 3 });
    expect(firstPage.runs.map((run) => run.id)).toEqual(newestFirst.slice(0, 3));
    expect(firstPage.runs[0]).toMatchObject({ status: "queued", lastSeq: 0, createdAt: base + 60 });
    expect(firstPage.nextCursor).toEqual(expect.any(String));
    // One page more than needed at most: a store may answer a cursor when it cannot tell the page was the last.
    expect(await listAll(context.store, { limit: 3 }, 4)).toEqual(newestFirst);
    expect(await listAll(context.store, { limit: 7 }, 2)).toEqual(newestFirst);
    expect(await listAll(context.store, { limit: 100 }, 1)).toEqual(newestFirst);
  });

  context.test("listRuns orders runs created in the same millisecond by id, descending", async () => {
    const createdAt = Date.now();
    const prefix = uniqueId("tie");
    const ids = ["a", "b", "c", "d", "e"].map((letter) => `${prefix}-${letter}`);
    for (const id of [ids[2]!, ids[0]!, ids[4]!, ids[1]!, ids[3]!])
      await context.store.createRun({ id, createdAt });
    await context.store.createRun({ id: uniqueId("older"), createdAt: createdAt - 1 });
    const listed = await listAll(context.store, { limit: 2 }, 5);
    expect(listed.slice(0, 5)).toEqual([...ids].reverse());
    expect(listed).toHaveLength(6);
  });

  context.test("listRuns lists one tenant's runs; without a tenant, only runs without one", async () => {
    const createdAt = Date.now();
    const inA = [uniqueId("a"), uniqueId("a")];
    const inB = uniqueId("b");
    const untenanted = uniqueId("none");
    await context.store.createRun({ id: inA[0]!, tenant: "tenant-a", createdAt });
    await context.store.createRun({ id: inB, tenant: "tenant-b", createdAt: createdAt + 1 });
    await context.store.createRun({ id: inA[1]!, tenant: "tenant-a", createdAt: createdAt + 2 });
    await context.store.createRun({ id: untenanted, createdAt: createdAt + 3 });
    expect(await listAll(context.store, { tenant: "tenant-a", limit: 1 }, 3)).toEqual([inA[1], inA[0]]);
    expect(await listAll(context.store, { tenant: "tenant-b", limit: 10 }, 1)).toEqual([inB]);
    expect(await listAll(context.store, { limit: 10 }, 1)).toEqual([untenanted]);
    expect(await listAll(context.store, { tenant: "tenant-c", limit: 10 }, 1)).toEqual([]);
  });

  context.test("listRuns filters by status", async () => {
    const createdAt = Date.now();
    const queued = uniqueId("queued");
    const running = uniqueId("running");
    const completed = uniqueId("completed");
    const failed = uniqueId("failed");
    for (const [index, id] of [queued, running, completed, failed].entries()) {
      await context.store.createRun({ id, tenant: "filtered", createdAt: createdAt + index });
    }
    await context.store.append({
      runId: running,
      expectedSeq: 0,
      events: testEvents(running, { from: 1, count: 1 }),
      status: "running",
    });
    await context.store.append({
      runId: completed,
      expectedSeq: 0,
      events: [runEndEvent(completed, 1, "completed")],
      status: "completed",
    });
    await context.store.append({
      runId: failed,
      expectedSeq: 0,
      events: [runEndEvent(failed, 1, "failed")],
      status: "failed",
    });
    const list = (status: ListRunsOptions["status"]) =>
      listAll(context.store, { tenant: "filtered", status, limit: 1 }, 5);
    expect(await list(["completed"])).toEqual([completed]);
    expect(await list(["queued", "running"])).toEqual([running, queued]);
    expect(await list(["failed", "completed", "cancelled"])).toEqual([failed, completed]);
    expect(await list(["cancelled"])).toEqual([]);
  });

  context.test("listRuns rejects a malformed cursor with INVALID_ARGUMENT", async () => {
    await context.store.createRun({ id: uniqueId("run"), createdAt: Date.now() });
    for (const cursor of ["not a cursor", "", "e30", btoa(JSON.stringify(["1", 2]))]) {
      await expectErrorCode(context.store.listRuns({ limit: 10, cursor }), "INVALID_ARGUMENT");
    }
  });

  context.test("a cursor stays valid after the run it points at is deleted", async () => {
    const base = Date.now();
    const ids = Array.from({ length: 4 }, (_, index) => `${uniqueId("kept")}-${index}`);
    for (const [index, id] of ids.entries()) await context.store.createRun({ id, createdAt: base + index });
    const firstPage = await context.store.listRuns({ limit: 2 });
    expect(firstPage.runs.map((run) => run.id)).toEqual([ids[3], ids[2]]);
    await context.store.append({
      runId: ids[2]!,
      expectedSeq: 0,
      events: [runEndEvent(ids[2]!, 1, "completed", base - 60_000)],
      status: "completed",
    });
    expect(await context.store.deleteRuns({ before: base - 30_000 })).toBe(1);
    const secondPage = await context.store.listRuns({ limit: 2, cursor: firstPage.nextCursor });
    expect(secondPage.runs.map((run) => run.id)).toEqual([ids[1], ids[0]]);
  });
}
