import { describe, expect, it } from "vitest";
import { OrchestrateError } from "../errors/orchestrate-error.js";
import type { WorkerFunction } from "../roles/worker.js";
import { memoryStore } from "../store/memory-store.js";
import { fixedPlanner, joinAggregator, wait } from "../test-support/roles.js";
import type { RunEvent } from "../types/run-event.js";
import { createOrchestrator } from "./create-orchestrator.js";

const plan = fixedPlanner([
  { id: "a", details: "A" },
  { id: "b", details: "B" },
  { id: "c", details: "C", dependsOn: ["a", "b"] },
  { id: "d", details: "D", dependsOn: ["c"] },
]);

describe("resume", () => {
  it("continues an abandoned run without re-planning or re-running completed tasks", async () => {
    const store = memoryStore();
    const executions: string[] = [];
    let planCalls = 0;
    const countingPlanner = {
      plan: (input: Parameters<typeof plan.plan>[0], context: Parameters<typeof plan.plan>[1]) => {
        planCalls++;
        return plan.plan(input, context);
      },
    };
    // First process: a and b complete, c hangs forever.
    const hanging: WorkerFunction = async (input, context) => {
      executions.push(input.task.id);
      if (input.task.id === "c") await wait(60_000, context.signal);
      return `${input.task.id}!`;
    };
    const first = createOrchestrator({
      orchestrator: countingPlanner,
      worker: hanging,
      aggregator: joinAggregator,
      store,
    });
    const handle = await first.start("go");
    await new Promise<void>((resolve) =>
      handle.events.on("task-start", (event) => event.taskId === "c" && resolve()),
    );
    await first.close();
    await expect(handle.result).rejects.toMatchObject({ code: "CANCELLED" });
    expect((await store.getRun(handle.id))?.status).toBe("running");

    // Second process over the same store.
    const worker: WorkerFunction = (input) => {
      executions.push(input.task.id);
      return `${input.task.id}:${input.dependencies.map((dependency) => dependency.output).join(",")}`;
    };
    const second = createOrchestrator({
      orchestrator: countingPlanner,
      worker,
      aggregator: joinAggregator,
      store,
    });
    const result = await second.resume(handle.id);
    expect(result.status).toBe("completed");
    expect(planCalls).toBe(1);
    expect(executions).toEqual(["a", "b", "c", "c", "d"]);
    expect(result.tasks.map((task) => task.output)).toEqual(["a!", "b!", "c:a!,b!", "d:c:a!,b!"]);
    // The interrupted attempt is resumed under its own number (a durable executor finds the same step).
    expect(result.tasks.find((task) => task.id === "c")!.attempts).toBe(1);
    const stored = await store.readEvents(handle.id);
    expect(stored.map((event) => event.seq)).toEqual(stored.map((_, index) => index + 1));
  });

  it("resumed before plan-end, re-plans but reuses identical subtasks that already completed", async () => {
    const store = memoryStore();
    const executions: string[] = [];
    const tasks = [
      { id: "a", details: "A" },
      { id: "b", details: "B", dependsOn: ["a"] },
      { id: "c", details: "C" },
    ];
    let hangAfterTwo = true;
    const planner = {
      async *plan(_input: unknown, context: { signal: AbortSignal }) {
        for (const [index, task] of tasks.entries()) {
          if (index === 2 && hangAfterTwo) await wait(60_000, context.signal);
          yield task;
        }
      },
    };
    const worker: WorkerFunction = (input) => {
      executions.push(input.task.id);
      return `${input.task.id}!`;
    };
    const first = createOrchestrator({ orchestrator: planner, worker, aggregator: joinAggregator, store });
    const handle = await first.start("go");
    await new Promise<void>((resolve) =>
      handle.events.on("task-end", (event) => event.taskId === "b" && resolve()),
    );
    await first.close();
    hangAfterTwo = false;
    const second = createOrchestrator({ orchestrator: planner, worker, aggregator: joinAggregator, store });
    const result = await second.resume(handle.id);
    expect(result.status).toBe("completed");
    expect(executions).toEqual(["a", "b", "c"]);
    expect(result.output).toBe("a!|b!|c!");
  });

  it("answers start() only once run-start is stored; a retry with the same key adopts a creation that failed", async () => {
    const store = memoryStore();
    let storeDown = false;
    const flaky = {
      ...store,
      append: (input: Parameters<typeof store.append>[0]) =>
        storeDown
          ? Promise.reject(new OrchestrateError({ code: "STORE_UNAVAILABLE", message: "connection refused" }))
          : store.append(input),
    };
    const orchestrator = createOrchestrator({
      orchestrator: plan,
      worker: () => "ok",
      aggregator: joinAggregator,
      store: flaky,
    });
    storeDown = true;
    await expect(orchestrator.start("go", { idempotencyKey: "k", fingerprint: "f" })).rejects.toMatchObject({
      code: "STORE_UNAVAILABLE",
    });
    storeDown = false;
    const retried = await orchestrator.start("go", { idempotencyKey: "k", fingerprint: "f" });
    expect(retried.created).toBe(true);
    const result = await retried.result;
    expect(result.status).toBe("completed");
    expect(result.prompt).toBe("go");
  });

  it("recover() closes a run whose creation never completed, once its grace period is over", async () => {
    const store = memoryStore();
    await store.createRun({ id: "orphan", createdAt: Date.now() - 60_000 });
    await store.createRun({ id: "young-orphan", createdAt: Date.now() });
    const orchestrator = createOrchestrator({
      orchestrator: plan,
      worker: () => "x",
      aggregator: joinAggregator,
      store,
      leaseMs: 1_000,
    });
    expect(await orchestrator.recover()).toEqual([]);
    expect((await store.getRun("orphan"))?.status).toBe("failed");
    expect((await orchestrator.get("orphan"))?.error?.message).toContain("was never started");
    expect((await store.getRun("young-orphan"))?.status).toBe("queued");
    expect(await store.findExpiredLeases({ now: Date.now(), limit: 10 })).toEqual(["young-orphan"]);
  });

  it("refuses to resume a run whose lease another live process holds", async () => {
    const store = memoryStore();
    const first = createOrchestrator({
      orchestrator: plan,
      worker: () => new Promise(() => {}),
      aggregator: joinAggregator,
      store,
    });
    const handle = await first.start("go");
    const second = createOrchestrator({
      orchestrator: plan,
      worker: () => "x",
      aggregator: joinAggregator,
      store,
    });
    await expect(second.resume(handle.id)).rejects.toMatchObject({ code: "RUN_LOCKED" });
    await first.cancel(handle.id);
  });

  it("recover() waits for a live owner's lease, then takes over once the owner dies and the lease expires", async () => {
    const store = memoryStore();
    let crashed = false;
    const hang = () => new Promise<never>(() => {});
    // The first process's view of the store: after the "crash" nothing it does reaches the store any more.
    const firstStore = {
      ...store,
      renewLease: (...args: Parameters<typeof store.renewLease>) =>
        crashed ? hang() : store.renewLease(...args),
      append: (...args: Parameters<typeof store.append>) => (crashed ? hang() : store.append(...args)),
    };
    const first = createOrchestrator({
      orchestrator: plan,
      worker: () => new Promise(() => {}),
      aggregator: joinAggregator,
      store: firstStore,
      leaseMs: 40,
    });
    const handle = await first.start("go");
    const second = createOrchestrator({
      orchestrator: plan,
      worker: () => "done",
      aggregator: joinAggregator,
      store,
      leaseMs: 40,
    });
    await wait(60);
    expect(await second.recover()).toEqual([]);
    crashed = true;
    await wait(60);
    expect(await second.recover()).toEqual([handle.id]);
    const view = await waitForStatus(second, handle.id, "completed");
    expect(view.output).toBe("done|done|done|done");
  });

  it("recover() picks up a run left with an expired lease", async () => {
    const store = memoryStore();
    const first = createOrchestrator({
      orchestrator: plan,
      worker: () => new Promise(() => {}),
      aggregator: joinAggregator,
      store,
      leaseMs: 30,
    });
    const handle = await first.start("go");
    await first.close();
    // close() released the lease: the run is recoverable at once.
    const second = createOrchestrator({
      orchestrator: plan,
      worker: () => "done",
      aggregator: joinAggregator,
      store,
    });
    expect(await second.recover()).toEqual([handle.id]);
    const view = await waitForStatus(second, handle.id, "completed");
    expect(view.tasks.every((task) => task.status === "completed")).toBe(true);
  });
});

describe("subscribe, get, list, cancel across instances", () => {
  it("replays then tails events, from another instance sharing the store (polling), ending at run-end", async () => {
    const store = memoryStore();
    const { subscribe: _push, ...pollingStore } = store;
    const worker: WorkerFunction = (input) => wait(10).then(() => input.task.id);
    const owner = createOrchestrator({
      orchestrator: plan,
      worker,
      aggregator: joinAggregator,
      store: pollingStore,
    });
    const reader = createOrchestrator({
      orchestrator: plan,
      worker,
      aggregator: joinAggregator,
      store: pollingStore,
      pollIntervalMs: 5,
    });
    const handle = await owner.start("go");
    const seen: RunEvent[] = [];
    for await (const event of reader.subscribe(handle.id)) seen.push(event);
    expect(seen.at(-1)?.type).toBe("run-end");
    expect(seen.map((event) => event.seq)).toEqual(seen.map((_, index) => index + 1));
    const replay: RunEvent[] = [];
    for await (const event of reader.subscribe(handle.id, { after: seen.length - 2 })) replay.push(event);
    expect(replay.map((event) => event.seq)).toEqual([seen.length - 1, seen.length]);
    expect((await reader.get(handle.id))?.output).toBe("a|b|c|d");
  });

  it("tails through the store's push subscription, and live deltas from the owning instance", async () => {
    const store = memoryStore();
    const worker: WorkerFunction = async (input, context) => {
      await wait(5);
      context.emitDelta(`${input.task.id}-chunk`);
      return input.task.id;
    };
    const owner = createOrchestrator({ orchestrator: plan, worker, aggregator: joinAggregator, store });
    const handle = await owner.start("go");
    const local: RunEvent[] = [];
    const remote: RunEvent[] = [];
    const other = createOrchestrator({ orchestrator: plan, worker, aggregator: joinAggregator, store });
    await Promise.all([
      (async () => {
        for await (const event of owner.subscribe(handle.id)) local.push(event);
      })(),
      (async () => {
        for await (const event of other.subscribe(handle.id)) remote.push(event);
      })(),
    ]);
    expect(local.filter((event) => event.type === "task-delta")).toHaveLength(4);
    expect(remote.filter((event) => event.type === "task-delta")).toHaveLength(0);
    const persisted = local.filter((event) => event.type !== "task-delta");
    expect(remote.map((event) => event.seq)).toEqual(persisted.map((event) => event.seq));
  });

  it("ends a subscription when its signal aborts", async () => {
    const orchestrator = createOrchestrator({
      orchestrator: plan,
      worker: () => new Promise(() => {}),
      aggregator: joinAggregator,
    });
    const handle = await orchestrator.start("go");
    const controller = new AbortController();
    const seen: string[] = [];
    setTimeout(() => controller.abort(), 20);
    for await (const event of orchestrator.subscribe(handle.id, { signal: controller.signal }))
      seen.push(event.type);
    expect(seen).toContain("run-start");
    expect(seen).not.toContain("run-end");
    await orchestrator.cancel(handle.id);
  });

  it("cancels a run executing in another instance; the owner stops and reports cancelled", async () => {
    const store = memoryStore();
    const owner = createOrchestrator({
      orchestrator: plan,
      worker: (input) => wait(30).then(() => input.task.id),
      aggregator: joinAggregator,
      store,
    });
    const other = createOrchestrator({
      orchestrator: plan,
      worker: () => "x",
      aggregator: joinAggregator,
      store,
    });
    const handle = await owner.start("go");
    await wait(10);
    const view = await other.cancel(handle.id);
    expect(view.status).toBe("cancelled");
    const result = await handle.result;
    expect(result.status).toBe("cancelled");
    const stored = await store.readEvents(handle.id);
    expect(stored.filter((event) => event.type === "run-end")).toHaveLength(1);
    expect(stored.at(-1)?.type).toBe("run-end");
  });

  it("an owner sees a cancel from another instance within one lease renewal and aborts its workers", async () => {
    const store = memoryStore();
    let aborted = 0;
    const slow: WorkerFunction = (input, context) =>
      wait(5_000, context.signal).then(
        () => input.task.id,
        (error: unknown) => {
          aborted++;
          throw error;
        },
      );
    const owner = createOrchestrator({
      orchestrator: plan,
      worker: slow,
      aggregator: joinAggregator,
      store,
      leaseMs: 60,
    });
    const other = createOrchestrator({ orchestrator: plan, worker: slow, aggregator: joinAggregator, store });
    const handle = await owner.start("go");
    await new Promise<void>((resolve) => handle.events.on("task-start", () => resolve()));
    const cancelled = performance.now();
    await other.cancel(handle.id);
    const result = await handle.result;
    expect(performance.now() - cancelled).toBeLessThan(500);
    expect(result.status).toBe("cancelled");
    expect(aborted).toBeGreaterThan(0);
  });

  it("follows a run another instance executes only when asked (an idempotent replay leaves nothing subscribed)", async () => {
    const store = memoryStore();
    let reads = 0;
    const countingStore = {
      ...store,
      readEvents: (...args: Parameters<typeof store.readEvents>) => {
        reads++;
        return store.readEvents(...args);
      },
    };
    const owner = createOrchestrator({
      orchestrator: plan,
      worker: (input) => wait(20).then(() => input.task.id),
      aggregator: joinAggregator,
      store,
    });
    const replayer = createOrchestrator({
      orchestrator: plan,
      worker: () => "x",
      aggregator: joinAggregator,
      store: countingStore,
      pollIntervalMs: 5,
    });
    const first = await owner.start("go", { idempotencyKey: "same" });
    const replay = await replayer.start("go", { idempotencyKey: "same" });
    expect([replay.id, replay.created]).toEqual([first.id, false]);
    await wait(30);
    expect(reads).toBe(0);
    const [ownResult, followedResult] = await Promise.all([first.result, replay.result]);
    expect(reads).toBeGreaterThan(0);
    expect(followedResult).toEqual(ownResult);
  });

  it("is idempotent per tenant and key, scopes runs to tenants, and lists newest first", async () => {
    const orchestrator = createOrchestrator({
      orchestrator: plan,
      worker: () => "x",
      aggregator: joinAggregator,
    });
    const first = await orchestrator.start("go", { tenant: "acme", idempotencyKey: "k1", fingerprint: "f1" });
    const again = await orchestrator.start("go", { tenant: "acme", idempotencyKey: "k1", fingerprint: "f2" });
    expect(again).toMatchObject({ id: first.id, created: false, fingerprint: "f1" });
    const otherTenant = await orchestrator.start("go", { tenant: "globex", idempotencyKey: "k1" });
    expect(otherTenant.id).not.toBe(first.id);
    await Promise.all([first.result, again.result, otherTenant.result]);
    expect(await orchestrator.get(first.id, { tenant: "globex" })).toBeUndefined();
    expect((await orchestrator.get(first.id, { tenant: "acme" }))?.status).toBe("completed");
    await expect(orchestrator.cancel(first.id, { tenant: "globex" })).rejects.toMatchObject({
      code: "RUN_NOT_FOUND",
    });
    await wait(2); // distinct createdAt: runs created in the same millisecond are ordered by id
    const second = await orchestrator.run("go again", { tenant: "acme" });
    const page = await orchestrator.list({ tenant: "acme", limit: 1 });
    expect(page.runs.map((run) => run.id)).toEqual([second.id]);
    const next = await orchestrator.list({
      tenant: "acme",
      limit: 1,
      ...(page.nextCursor ? { cursor: page.nextCursor } : {}),
    });
    expect(next.runs.map((run) => run.id)).toEqual([first.id]);
  });
});

async function waitForStatus(
  orchestrator: ReturnType<typeof createOrchestrator>,
  id: string,
  status: string,
) {
  for (let index = 0; index < 200; index++) {
    const view = await orchestrator.get(id);
    if (view?.status === status) return view;
    await wait(5);
  }
  throw new Error(`run ${id} never reached ${status}`);
}
