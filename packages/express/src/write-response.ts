import type { Response as ExpressResponse } from "express";

/**
 * Writes a web `Response` to an Express response: status, headers (every `Set-Cookie` kept), then the body:
 * a JSON answer in one write with its length; an event stream chunk by chunk, flushing each one (so SSE events go out at once, even behind `compression()`) and waiting
 * for `drain` under backpressure. When the client goes away, the body stream is cancelled, which ends an SSE
 * subscription.
 */
export async function writeResponse(response: Response, target: ExpressResponse): Promise<void> {
  target.status(response.status);
  for (const [name, value] of response.headers) {
    if (name !== "set-cookie") target.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) target.setHeader("set-cookie", cookies);
  if (response.body === null) {
    target.end();
    return;
  }
  if (!response.headers.get("content-type")?.startsWith("text/event-stream")) {
    // A JSON answer: one write with a Content-Length beats chunked encoding.
    const body = Buffer.from(await response.arrayBuffer());
    target.setHeader("content-length", body.byteLength);
    target.end(body);
    return;
  }
  target.flushHeaders();
  const reader = response.body.getReader();
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
