import type { Request as ExpressRequest } from "express";

/**
 * A web `Request` with the method, URL and every header of an Express request, for the user callbacks that
 * take one (`authenticate`, `onError`). It has no body: the handler reads the body itself, from the socket.
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
  return new Request(urlOf(request), { method: request.method, headers, signal });
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
