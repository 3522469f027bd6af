import { describe, expect, it } from "vitest";
import { OrchestrateError } from "../errors/orchestrate-error.js";
import { memoryStore } from "../store/memory-store.js";
import type { RunStore } from "../store/run-store.js";
import type { RunEvent } from "../types/run-event.js";
import { createRunState } from "./fold-run.js";
import { RunLog } from "./run-log.js";

const options = {
  concurrency: 1,
  maxSubtasks: 1,
  failurePolicy: "settle" as const,
  retry: { attempts: 1, initialDelayMs: 0, maxDelayMs: 0, factor: 1, jitter: false },
  timeouts: {},
  budget: {},
};

async function setup(store: RunStore = memoryStore()) {
  await store.createRun({ id: "run", createdAt: 0 });
  const emitted: RunEvent[] = [];
  const errors: OrchestrateError[] = [];
  const log = new RunLog({
    store,
    state: createRunState("run"),
    now: () => 1,
    emit: (event) => emitted.push(event),
    onWriteError: (error) => errors.push(error),
  });
  return { store, log, emitted, errors };
}

describe("RunLog", () => {
  it("batches events appended in one tick into one write and emits them after it", async () => {
    const store = memoryStore();
    let writes = 0;
    const counting: RunStore = {
      ...store,
      append: (input) => {
        writes++;
        return store.append(input);
      },
    };
    const { log, emitted } = await setup(counting);
    log.append({ type: "run-start", prompt: "p", options });
    log.append({ type: "plan-start", attempt: 1 });
    expect(emitted).toEqual([]);
    await log.flush();
    expect(writes).toBe(1);
    expect(emitted.map((event) => event.seq)).toEqual([1, 2]);
  });

  it("waits one turn of the event loop to batch writes to a store that is not in memory", async () => {
    const store = memoryStore();
    const batches: number[] = [];
    const remote: RunStore = {
      ...store,
      inMemory: false,
      append: (input) => {
        batches.push(input.events.length);
        return store.append(input);
      },
    };
    const { log } = await setup(remote);
    log.append({ type: "run-start", prompt: "p", options });
    // Appended from a later microtask of the same turn, as a second task finishing would be.
    await Promise.resolve();
    await Promise.resolve();
    log.append({ type: "plan-start", attempt: 1 });
    await log.flush();
    expect(batches).toEqual([2]);
  });

  it("writes to an in-memory store without waiting for a turn of the event loop", async () => {
    const { log, emitted } = await setup(memoryStore());
    log.append({ type: "run-start", prompt: "p", options });
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    await Promise.resolve();
    await Promise.resolve();
    expect(emitted.map((event) => event.type)).toEqual(["run-start"]);
  });

  it("writes an event appended just after the writer drained (no lost wake-up)", async () => {
    const store = memoryStore();
    await store.createRun({ id: "run", createdAt: 0 });
    const emitted: RunEvent[] = [];
    const log: RunLog = new RunLog({
      store,
      state: createRunState("run"),
      now: () => 1,
      emit: (event) => {
        emitted.push(event);
        // Lands after the writer's last check but before it has finished: the narrowest window.
        if (event.type === "run-start") queueMicrotask(() => log.append({ type: "plan-start", attempt: 1 }));
      },
      onWriteError: () => {},
    });
    log.append({ type: "run-start", prompt: "p", options });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(emitted.map((event) => event.type)).toEqual(["run-start", "plan-start"]);
  });

  it("queues a delta behind the unwritten event before it, and gives it that event's seq", async () => {
    const { log, emitted } = await setup();
    log.append({ type: "run-start", prompt: "p", options });
    log.delta({ type: "aggregate-delta", delta: "x" });
    expect(emitted).toEqual([]);
    await log.flush();
    expect(emitted.map((event) => [event.type, event.seq])).toEqual([
      ["run-start", 1],
      ["aggregate-delta", 1],
    ]);
  });

  it("reports a conflicting write once and accepts nothing after it", async () => {
    const { store, log, errors } = await setup();
    await store.append({
      runId: "run",
      expectedSeq: 0,
      events: [{ type: "plan-start", attempt: 1, runId: "run", seq: 1, at: 0 }],
      status: "running",
    });
    log.append({ type: "run-start", prompt: "p", options });
    await expect(log.flush()).rejects.toMatchObject({ code: "STORE_CONFLICT" });
    expect(errors).toHaveLength(1);
    expect(log.isClosed).toBe(true);
    expect(log.append({ type: "plan-start", attempt: 1 })).toBeUndefined();
  });

  it("retries a store that is briefly unavailable", async () => {
    const store = memoryStore();
    let failures = 2;
    const flaky: RunStore = {
      ...store,
      append: (input) =>
        failures-- > 0
          ? Promise.reject(new OrchestrateError({ code: "STORE_UNAVAILABLE", message: "down" }))
          : store.append(input),
    };
    const { log, emitted } = await setup(flaky);
    log.append({ type: "run-start", prompt: "p", options });
    await log.flush();
    expect(emitted).toHaveLength(1);
  });

  it("treats a retried write that conflicts with its own earlier, landed attempt as written", async () => {
    const store = memoryStore();
    let first = true;
    // The first append lands but its answer is lost (a timeout): the caller sees STORE_UNAVAILABLE.
    const lossy: RunStore = {
      ...store,
      append: async (input) => {
        await store.append(input);
        if (first) {
          first = false;
          throw new OrchestrateError({ code: "STORE_UNAVAILABLE", message: "timed out" });
        }
      },
    };
    const { log, emitted, errors } = await setup(lossy);
    log.append({ type: "run-start", prompt: "p", options });
    await log.flush();
    expect(errors).toEqual([]);
    expect(emitted.map((event) => event.seq)).toEqual([1]);
    log.append({ type: "plan-start", attempt: 1 });
    await log.flush();
    expect((await store.readEvents("run")).map((event) => event.seq)).toEqual([1, 2]);
  });
});
