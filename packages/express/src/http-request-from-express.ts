import type { HttpRequest } from "@orchestrator-workers/core";
import type { Request as ExpressRequest, Response as ExpressResponse } from "express";
import { requestFromExpress, urlOf } from "./request-from-express.js";

/**
 * An Express request as the core's {@link HttpRequest}: headers read straight from `req.headers`, the body
 * from the socket (or from what a body parser already made of it), and a web `Request` (method, URL and
 * headers; no body) built only if a user callback (`authenticate`, `onError`) asks for one.
 */
export function httpRequestFromExpress(request: ExpressRequest, response: ExpressResponse): HttpRequest {
  let webRequest: Request | undefined;
  let controller: AbortController | undefined;
  return {
    method: request.method,
    url: urlOf(request),
    header: (name) => {
      const value = request.headers[name];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(", ") : value;
    },
    // Made on first use (an event stream, a user callback): most requests never need one.
    get signal() {
      if (controller === undefined) {
        const created = new AbortController();
        controller = created;
        // Closed before the response finished means the client went away: abort, which ends an event stream.
        const onClose = () => {
          if (!response.writableFinished) created.abort();
        };
        if (response.closed) onClose();
        else response.once("close", onClose);
      }
      return controller.signal;
    },
    readBody: (maxBytes) => readBody(request, maxBytes),
    toRequest() {
      webRequest ??= requestFromExpress(request, this.signal);
      return webRequest;
    },
  };
}

async function readBody(request: ExpressRequest, maxBytes: number): Promise<Uint8Array | undefined> {
  // A body parser (`express.json()`, `express.text()`, `express.raw()`) ran first: its value, re-serialized.
  const parsed = parsedBody(request);
  if (parsed !== undefined) {
    const bytes = typeof parsed === "string" ? Buffer.from(parsed) : parsed;
    return bytes.byteLength > maxBytes ? undefined : bytes;
  }
  if (request.readableEnded) return new Uint8Array(0);
  return readSocket(request, maxBytes);
}

/** The body a body parser already read, serialized again, or `undefined` when none ran. */
function parsedBody(request: ExpressRequest): string | Uint8Array<ArrayBuffer> | undefined {
  const body: unknown = request.body;
  if (body === undefined) return undefined;
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return new Uint8Array(body);
  // May throw for values JSON cannot represent (cycles, extreme nesting): the caller answers 400.
  return JSON.stringify(body) ?? "";
}

/**
 * Reads the body from the socket, counting. Past `maxBytes` it stops collecting and lets the rest flow away
 * (the socket stays usable, so the 413 still gets out); a client that aborts mid-body rejects.
 */
function readSocket(request: ExpressRequest, maxBytes: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = () => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onError);
      request.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBytes) {
        cleanup();
        request.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      if (request.complete) return;
      cleanup();
      reject(new Error("The client aborted the request."));
    };
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onError);
    request.on("close", onClose);
  });
}
