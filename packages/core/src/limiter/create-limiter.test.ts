import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { OrchestrateError } from "../errors/orchestrate-error.js";
import { createLimiter } from "./create-limiter.js";
import type { LimiterPermit } from "./limiter.js";
import type { LimiterOptions } from "./limiter-options.js";

/** Tracks a promise so a test can ask whether it settled yet. */
function track<TValue>(promise: Promise<TValue>) {
  const state = { settled: false, value: undefined as TValue | undefined, error: undefined as unknown };
  promise.then(
    (value) => {
      state.settled = true;
      state.value = value;
    },
    (error: unknown) => {
      state.settled = true;
      state.error = error;
    },
  );
  return state;
}

/** Lets pending promise callbacks run without moving the fake clock. */
const flush = () => vi.advanceTimersByTimeAsync(0);

describe("createLimiter", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("caps calls in flight per key", async () => {
    const limiter = createLimiter({ concurrency: 2 });
    const first = track(limiter.acquire("model"));
    const second = track(limiter.acquire("model"));
    const third = track(limiter.acquire("model"));
    await flush();
    expect([first.settled, second.settled, third.settled]).toEqual([true, true, false]);
    first.value!.release();
    await flush();
    expect(third.settled).toBe(true);
  });

  it("grants in FIFO order", async () => {
    const limiter = createLimiter({ concurrency: 1 });
    const order: string[] = [];
    const holder = await limiter.acquire("model");
    const waiting = ["a", "b", "c"].map((name) =>
      limiter.acquire("model").then((permit) => {
        order.push(name);
        return permit;
      }),
    );
    holder.release();
    for (const promise of waiting) (await promise).release();
    expect(order).toEqual(["a", "b", "c"]);
  });

  it("paces starts to requestsPerMinute over a sliding window", async () => {
    const limiter = createLimiter({ requestsPerMinute: 2 });
    const grantedAt: number[] = [];
    const record = (permit: LimiterPermit) => {
      grantedAt.push(Date.now());
      permit.release();
    };
    const first = limiter.acquire("model").then(record);
    await vi.advanceTimersByTimeAsync(30_000);
    const rest = [1, 2, 3].map(() => limiter.acquire("model").then(record));
    await vi.advanceTimersByTimeAsync(120_000);
    await Promise.all([first, ...rest]);
    expect(grantedAt).toEqual([0, 30_000, 60_000, 90_000]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("blocks new calls while reported tokens are over tokensPerMinute", async () => {
    const limiter = createLimiter({ tokensPerMinute: 1000 });
    (await limiter.acquire("model")).release({ inputTokens: 400, outputTokens: 200 });
    await vi.advanceTimersByTimeAsync(10_000);
    (await limiter.acquire("model")).release({ totalTokens: 500 });
    const blocked = track(limiter.acquire("model"));
    await vi.advanceTimersByTimeAsync(49_999);
    expect(blocked.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(blocked.settled).toBe(true);
    blocked.value!.release();
  });

  it("does not count calls without reported usage against tokensPerMinute", async () => {
    const limiter = createLimiter({ tokensPerMinute: 10 });
    for (let index = 0; index < 5; index++) (await limiter.acquire("model")).release();
    (await limiter.acquire("model")).release({ totalTokens: 0 });
    const next = track(limiter.acquire("model"));
    await flush();
    expect(next.settled).toBe(true);
  });

  it("removes an aborted waiter from the queue without it ever holding a slot", async () => {
    const limiter = createLimiter({ concurrency: 1 });
    const holder = await limiter.acquire("model");
    const controller = new AbortController();
    const aborted = track(limiter.acquire("model", controller.signal));
    const next = track(limiter.acquire("model"));
    const reason = new Error("cancelled");
    controller.abort(reason);
    await flush();
    expect(aborted.error).toBe(reason);
    expect(next.settled).toBe(false);
    holder.release();
    await flush();
    expect(next.settled).toBe(true);
    // The aborted waiter holds nothing: with `next` released, a new caller gets the slot at once.
    next.value!.release();
    const after = track(limiter.acquire("model"));
    await flush();
    expect(after.settled).toBe(true);
  });

  it("rejects at once with the reason of an already-aborted signal", async () => {
    const limiter = createLimiter({ concurrency: 1 });
    const reason = new Error("too late");
    await expect(limiter.acquire("model", AbortSignal.abort(reason))).rejects.toBe(reason);
    const permit = await limiter.acquire("model");
    permit.release();
  });

  it("clears its timer when the only waiter on a window aborts", async () => {
    const limiter = createLimiter({ requestsPerMinute: 1 });
    (await limiter.acquire("model")).release();
    const controller = new AbortController();
    const waiting = limiter.acquire("model", controller.signal);
    await flush();
    expect(vi.getTimerCount()).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("ignores a second release of the same permit", async () => {
    const limiter = createLimiter({ concurrency: 1 });
    const permit = await limiter.acquire("model");
    permit.release();
    const first = track(limiter.acquire("model"));
    permit.release();
    const second = track(limiter.acquire("model"));
    await flush();
    expect(first.settled).toBe(true);
    expect(second.settled).toBe(false);
  });

  it("counts tokens only once when a permit is released twice", async () => {
    const limiter = createLimiter({ tokensPerMinute: 100 });
    const permit = await limiter.acquire("model");
    permit.release({ totalTokens: 60 });
    permit.release({ totalTokens: 60 });
    const next = track(limiter.acquire("model"));
    await flush();
    expect(next.settled).toBe(true);
  });

  it("limits each key separately and applies per-key overrides", async () => {
    const limiter = createLimiter({ concurrency: 1, keys: { "openai:gpt-5": { concurrency: 2 } } });
    const small = await limiter.acquire("workers-ai:llama");
    const smallWaiting = track(limiter.acquire("workers-ai:llama"));
    const large = [track(limiter.acquire("openai:gpt-5")), track(limiter.acquire("openai:gpt-5"))];
    const largeWaiting = track(limiter.acquire("openai:gpt-5"));
    await flush();
    expect(smallWaiting.settled).toBe(false);
    expect(large.map((state) => state.settled)).toEqual([true, true]);
    expect(largeWaiting.settled).toBe(false);
    small.release();
    await flush();
    expect(smallWaiting.settled).toBe(true);
    expect(largeWaiting.settled).toBe(false);
  });

  it("overrides only the fields a key names", async () => {
    const limiter = createLimiter({
      concurrency: 1,
      requestsPerMinute: 1,
      keys: { fast: { requestsPerMinute: 100 } },
    });
    (await limiter.acquire("fast")).release();
    const again = track(limiter.acquire("fast"));
    const third = track(limiter.acquire("fast"));
    await flush();
    expect(again.settled).toBe(true);
    expect(third.settled).toBe(false); // concurrency 1 still applies to "fast"
    again.value!.release();
    await flush();
    expect(third.settled).toBe(true);
  });

  it("serves a long queue in order (no quadratic work)", async () => {
    vi.useRealTimers();
    const limiter = createLimiter({ concurrency: 1 });
    const count = 50_000;
    let expected = 0;
    let inOrder = true;
    const waiting = Array.from({ length: count }, (_, index) =>
      limiter.acquire("model").then((permit) => {
        if (index !== expected++) inOrder = false;
        permit.release();
      }),
    );
    await Promise.all(waiting);
    expect(inOrder).toBe(true);
    expect(expected).toBe(count);
  });

  it("rejects an empty key", async () => {
    const limiter = createLimiter({});
    await expect(limiter.acquire("")).rejects.toMatchObject({ code: "INVALID_ARGUMENT", option: "key" });
  });

  it.each<[unknown, string]>([
    [{ concurrency: 0 }, "limiter.concurrency"],
    [{ concurrency: 1.5 }, "limiter.concurrency"],
    [{ requestsPerMinute: Number.POSITIVE_INFINITY }, "limiter.requestsPerMinute"],
    [{ tokensPerMinute: -10 }, "limiter.tokensPerMinute"],
    [{ tokensPerMinute: "1000" }, "limiter.tokensPerMinute"],
    [{ keys: [] }, "limiter.keys"],
    [{ keys: { "openai:gpt-5": null } }, 'limiter.keys["openai:gpt-5"]'],
    [
      { keys: { "openai:gpt-5": { requestsPerMinute: 0 } } },
      'limiter.keys["openai:gpt-5"].requestsPerMinute',
    ],
    [{ keys: { "openai:gpt-5": { requestPerMinute: 10 } } }, 'limiter.keys["openai:gpt-5"].requestPerMinute'],
    [{ concurency: 2 }, "limiter.concurency"],
    [null, "limiter"],
  ])("rejects %o naming %s", (options, option) => {
    let thrown: unknown;
    try {
      createLimiter(options as LimiterOptions);
    } catch (error) {
      thrown = error;
    }
    expect(OrchestrateError.isInstance(thrown)).toBe(true);
    expect(thrown).toMatchObject({ code: "INVALID_ARGUMENT", option });
  });

  it("says what was expected and what was received", () => {
    expect(() => createLimiter({ keys: { "openai:gpt-5": { requestsPerMinute: 0 } } })).toThrow(
      'Invalid option "limiter.keys["openai:gpt-5"].requestsPerMinute": expected a positive integer, received number 0.',
    );
  });
});
