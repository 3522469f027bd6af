import type { HttpAnswer } from "@orchestrator-workers/core";
import type { Response as ExpressResponse } from "express";

/**
 * Writes the core's answer to an Express response: status and headers, then the body: a JSON text in one
 * write with its length; an event stream chunk by chunk, flushing each one (so SSE events go out at once,
 * even behind `compression()`) and waiting for `drain` under backpressure. When the client goes away, the
 * body stream is cancelled, which ends an SSE subscription.
 */
export async function writeAnswer(answer: HttpAnswer, target: ExpressResponse): Promise<void> {
  target.statusCode = answer.status;
  for (const name in answer.headers) target.setHeader(name, answer.headers[name]!);
  const body = answer.body;
  if (body === null) {
    target.end();
    return;
  }
  if (typeof body === "string") {
    const bytes = Buffer.from(body);
    target.setHeader("content-length", bytes.byteLength);
    target.end(bytes);
    return;
  }
  target.flushHeaders();
  const reader = body.getReader();
  const cancel = () => reader.cancel().catch(() => {});
  target.once("close", cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || target.destroyed) break;
      if (!target.write(value)) await drained(target);
      (target as ExpressResponse & { flush?: () => void }).flush?.();
    }
  } finally {
    target.off("close", cancel);
    reader.releaseLock();
  }
  target.end();
}

function drained(target: ExpressResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      target.off("drain", done);
      target.off("close", done);
      resolve();
    };
    target.on("drain", done);
    target.on("close", done);
  });
}
