import type { Readable } from "node:stream";
import type { Request as ExpressRequest } from "express";

/**
 * Translates an Express request into a web `Request` (for the user callbacks that take one): method, URL (`req.originalUrl`, so
 * the mount path is kept), headers, and the body. The body streams from the socket, unless a body parser
 * (`express.json()`, `express.text()`, `express.raw()`) already consumed it: then the parsed value is
 * re-serialized (an object as JSON, a string or buffer as is), with the original `Content-Type`, so the
 * core's media-type and size rules still apply.
 */
export function requestFromExpress(request: ExpressRequest, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      try {
        headers.append(name, item);
      } catch {
        // Node accepts a few header values that Headers refuses; such a header is dropped.
      }
    }
  }
  const init: RequestInit & { duplex?: "half" } = { method: request.method, headers, signal };
  if (request.method !== "GET" && request.method !== "HEAD") {
    const body = parsedBody(request);
    if (body !== undefined) {
      for (const name of ["content-length", "content-encoding", "transfer-encoding"]) headers.delete(name);
      init.body = body;
    } else if (!request.readableEnded) {
      init.body = streamFrom(request);
      init.duplex = "half";
    }
  }
  return new Request(urlOf(request), init);
}

/** The body a body parser already read, serialized again, or `undefined` when none ran. */
export function parsedBody(request: ExpressRequest): string | Uint8Array<ArrayBuffer> | undefined {
  const body: unknown = request.body;
  if (body === undefined) return undefined;
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return new Uint8Array(body);
  // May throw for values JSON cannot represent (cycles, extreme nesting): the caller answers 400.
  return JSON.stringify(body) ?? "";
}

/** The absolute URL of the request (`req.originalUrl`, so the mount path is kept). */
export function urlOf(request: ExpressRequest): string {
  const host = request.headers.host ?? "localhost";
  try {
    return new URL(request.originalUrl, `${request.protocol}://${host}`).href;
  } catch {
    return new URL(request.originalUrl.startsWith("/") ? request.originalUrl : "/", "http://localhost").href;
  }
}

/**
 * The socket body as a web stream that pauses the socket under backpressure. Cancelling it (the core does
 * when a body is too large) discards the rest instead of destroying the socket, so the 413 still gets out.
 */
function streamFrom(request: Readable & { complete: boolean }): ReadableStream<Uint8Array> {
  let onData: (chunk: Buffer) => void = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const settle = (action: () => void) => {
        try {
          action();
        } catch {
          // the stream is already closed or cancelled
        }
      };
      onData = (chunk) => {
        settle(() => controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
        if ((controller.desiredSize ?? 0) <= 0) request.pause();
      };
      request.on("data", onData);
      request.once("end", () => settle(() => controller.close()));
      request.once("error", (error) => settle(() => controller.error(error)));
      request.once("close", () => {
        if (!request.complete) settle(() => controller.error(new Error("The client aborted the request.")));
      });
    },
    pull() {
      request.resume();
    },
    cancel() {
      request.off("data", onData);
      request.resume();
    },
  });
}
