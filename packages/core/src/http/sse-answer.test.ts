import { afterEach, describe, expect, it, vi } from "vitest";
import { OrchestrateError } from "../errors/orchestrate-error.js";
import type { RunEvent } from "../types/run-event.js";
import { sseAnswer } from "./sse-answer.js";
import { toWebResponse } from "./web-exchange.js";

/** A stream over `source` with a 5 ms heartbeat, its client's abort controller, and a reader of its body. */
function heartbeatStream(source: ReturnType<typeof controlledSource>) {
  const controller = new AbortController();
  const response = sseWebResponse({ subscribe: source.subscribe, signal: controller.signal, heartbeatMs: 5 });
  return { controller, reader: response.body!.getReader() };
}

/** An event source driven by the test: `push` events, `fail` it, and see whether it was released. */
function controlledSource() {
  const queue: RunEvent[] = [];
  let waiting:
    | { resolve: (result: IteratorResult<RunEvent>) => void; reject: (error: unknown) => void }
    | undefined;
  const state = { returned: false, ended: false, signal: undefined as AbortSignal | undefined };
  const iterator: AsyncIterator<RunEvent> = {
    next: () =>
      new Promise((resolve, reject) => {
        const event = queue.shift();
        if (event) resolve({ done: false, value: event });
        else if (state.ended) resolve({ done: true, value: undefined });
        else waiting = { resolve, reject };
      }),
    return: async () => {
      state.returned = true;
      return { done: true, value: undefined };
    },
  };
  return {
    state,
    subscribe: (signal: AbortSignal) => {
      state.signal = signal;
      return { [Symbol.asyncIterator]: () => iterator };
    },
    push(event: RunEvent) {
      if (waiting) {
        const current = waiting;
        waiting = undefined;
        current.resolve({ done: false, value: event });
      } else queue.push(event);
    },
    end() {
      state.ended = true;
      waiting?.resolve({ done: true, value: undefined });
    },
    fail(error: unknown) {
      waiting?.reject(error);
    },
  };
}

const start = (seq: number): RunEvent => ({
  type: "aggregate-start",
  runId: "r1",
  seq,
  at: 1,
});

async function readText(reader: ReadableStreamDefaultReader<Uint8Array>, until: string): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes(until)) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** The answer as the web Response `createFetchHandler` makes of it. */
const sseWebResponse = (options: Parameters<typeof sseAnswer>[0]) => toWebResponse(sseAnswer(options));

describe("sseAnswer", () => {
  it("writes id, event and data for stored events and no id for deltas, then closes", async () => {
    const source = controlledSource();
    const response = sseWebResponse({ subscribe: source.subscribe, signal: new AbortController().signal });
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    source.push(start(3));
    source.push({ type: "aggregate-delta", runId: "r1", seq: 3, at: 2, delta: "hel" });
    source.end();
    const text = await response.text();
    expect(text).toBe(
      `id: 3\nevent: aggregate-start\ndata: ${JSON.stringify(start(3))}\n\n` +
        `event: aggregate-delta\ndata: {"type":"aggregate-delta","runId":"r1","seq":3,"at":2,"delta":"hel"}\n\n`,
    );
    expect(source.state.signal?.aborted).toBe(true);
  });

  it("sends heartbeat comments", async () => {
    const { controller, reader } = heartbeatStream(controlledSource());
    expect(await readText(reader, ": heartbeat\n\n")).toContain(": heartbeat\n\n");
    controller.abort();
  });

  it("ends the subscription and clears the timer when the client goes away", async () => {
    const clearSpy = vi.spyOn(globalThis, "clearInterval");
    const source = controlledSource();
    const { controller, reader } = heartbeatStream(source);
    source.push(start(1));
    await readText(reader, "aggregate-start");
    const pending = reader.read();
    controller.abort();
    await expect(pending).resolves.toMatchObject({ done: true });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(source.state.signal?.aborted).toBe(true);
    expect(source.state.returned).toBe(true);
    expect(clearSpy).toHaveBeenCalled();
  });

  it("ends the subscription when the body is cancelled", async () => {
    const source = controlledSource();
    const response = sseWebResponse({ subscribe: source.subscribe, signal: new AbortController().signal });
    const reader = response.body!.getReader();
    void reader.read();
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(source.state.signal?.aborted).toBe(true);
    expect(source.state.returned).toBe(true);
  });

  it("does not subscribe when the client is already gone", async () => {
    const source = controlledSource();
    const controller = new AbortController();
    controller.abort();
    const response = sseWebResponse({ subscribe: source.subscribe, signal: controller.signal });
    expect(await response.text()).toBe("");
    expect(source.state.signal).toBeUndefined();
  });

  it("turns a failure after the headers into a final stream-error event", async () => {
    const source = controlledSource();
    const errors: number[] = [];
    const response = sseWebResponse({
      subscribe: source.subscribe,
      signal: new AbortController().signal,
      onError: (_error, status) => errors.push(status),
    });
    const text = response.text();
    await new Promise((resolve) => setTimeout(resolve, 0));
    source.fail(
      new OrchestrateError({ code: "STORE_UNAVAILABLE", message: "redis://user:secret@host down" }),
    );
    expect(await text).toBe(
      'event: stream-error\ndata: {"error":{"code":"STORE_UNAVAILABLE","message":"The run store is unavailable. Try again later."}}\n\n',
    );
    expect(errors).toEqual([503]);
  });
});
