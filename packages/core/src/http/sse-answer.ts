import { isLiveOnlyEvent, type RunEvent } from "../types/run-event.js";
import { toErrorBody } from "./error-response.js";
import type { HttpAnswer } from "./http-exchange.js";

/** Options for {@link sseAnswer}. */
export interface SseAnswerOptions {
  /** Opens the event source; called once, with a signal that aborts when the stream must end. */
  subscribe: (signal: AbortSignal) => AsyncIterable<RunEvent>;
  /** The client's request signal: when it aborts (client gone), the subscription ends. */
  signal: AbortSignal;
  /** Interval between heartbeat comments, in milliseconds. @default 15000 */
  heartbeatMs?: number;
  /** Called with an error that ended the stream early (after the 200 was sent). */
  onError?: (error: unknown, status: number) => void;
}

const encoder = new TextEncoder();

/**
 * A `text/event-stream` answer of run events: `id: <seq>` (stored events only, so `Last-Event-ID` always
 * names a stored event), `event: <type>`, `data: <json>`. A `: heartbeat` comment goes out every
 * `heartbeatMs`. The stream closes after `run-end` (or when the source ends). An error after the headers were
 * sent becomes a final `event: stream-error` with `{"error": {"code", "message"}}`.
 *
 * When the client goes away (`signal` aborts) or the body is cancelled, the subscription's signal aborts, its
 * iterator's `return()` is called and the heartbeat timer is cleared: nothing outlives the stream.
 */
export function sseAnswer(options: SseAnswerOptions): HttpAnswer {
  const stop = new AbortController();
  const stopped = new Promise<IteratorReturnResult<undefined>>((resolve) => {
    stop.signal.addEventListener("abort", () => resolve({ done: true, value: undefined }), { once: true });
  });
  let iterator: AsyncIterator<RunEvent> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let streamController: ReadableStreamDefaultController<Uint8Array> | undefined;

  const end = () => {
    if (heartbeat !== undefined) clearInterval(heartbeat);
    heartbeat = undefined;
    options.signal.removeEventListener("abort", end);
    stop.abort();
    const current = iterator;
    iterator = undefined;
    // Not awaited: an async generator's return() waits for its pending next(), which the aborted signal ends.
    if (current?.return)
      Promise.resolve()
        .then(() => current.return?.())
        .catch(() => {});
    try {
      streamController?.close();
    } catch {
      // already closed or cancelled
    }
  };

  const fail = (error: unknown) => {
    const { status, body } = toErrorBody(error);
    options.onError?.(error, status);
    try {
      streamController?.enqueue(encoder.encode(`event: stream-error\ndata: ${JSON.stringify(body)}\n\n`));
    } catch {
      // the client is gone
    }
    end();
  };

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      streamController = controller;
      if (options.signal.aborted) return end();
      options.signal.addEventListener("abort", end, { once: true });
      try {
        iterator = options.subscribe(stop.signal)[Symbol.asyncIterator]();
      } catch (error) {
        return fail(error);
      }
      heartbeat = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(": heartbeat\n\n"));
        } catch {
          end();
        }
      }, options.heartbeatMs ?? 15_000);
    },
    async pull(controller) {
      const current = iterator;
      if (current === undefined) return;
      let result: IteratorResult<RunEvent>;
      try {
        result = await Promise.race([current.next(), stopped]);
      } catch (error) {
        return fail(error);
      }
      if (result.done || stop.signal.aborted) return end();
      controller.enqueue(encoder.encode(formatSseEvent(result.value)));
      if (result.value.type === "run-end") end();
    },
    cancel: end,
  });

  return {
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
    body: stream,
  };
}

/** One SSE message for a run event; live-only `*-delta` events carry no `id:` line. */
function formatSseEvent(event: RunEvent): string {
  const id = isLiveOnlyEvent(event) ? "" : `id: ${event.seq}\n`;
  return `${id}event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
