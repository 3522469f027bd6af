/**
 * A request as the HTTP handler reads it. `createFetchHandler` makes one from a web `Request`; a server
 * adapter (Express, a bare `node:http` server) can make one straight from its own request object, which
 * spares Node the cost of building a web `Request` with a streamed body for every call.
 */
export interface HttpRequest {
  /** The method, upper case: `"GET"`, `"POST"`. */
  readonly method: string;
  /** The absolute URL, e.g. `http://localhost:8787/runs/abc?after=3`. */
  readonly url: string;
  /** The value of a header (name in lower case), or `null`. Repeated headers are joined with `", "`. */
  header(name: string): string | null;
  /** Aborts when the client goes away; ends an event stream. */
  readonly signal: AbortSignal;
  /**
   * Reads the whole body, but never more than `maxBytes`: resolves with the bytes (empty when there is no
   * body), or with `undefined` as soon as the body proves larger (the rest is discarded, so the answer can
   * still go out); rejects when the body cannot be read to its end (the client aborted).
   */
  readBody(maxBytes: number): Promise<Uint8Array | undefined>;
  /**
   * The request as a web `Request`, for user callbacks that take one (`authenticate`, `onError`); built
   * only when one of them is set. Its body may already have been read.
   */
  toRequest(): Request;
}

/** An answer of the HTTP handler, for an adapter to write: a status, headers, and the body. */
export interface HttpAnswer {
  status: number;
  /** Header names are lower case. */
  headers: Record<string, string>;
  /** A JSON text, an event stream (SSE, UTF-8 chunks), or nothing (`204`). */
  body: string | ReadableStream<Uint8Array> | null;
}

/** The HTTP API as one function from {@link HttpRequest} to {@link HttpAnswer}; see `createHttpHandler`. */
export type HttpHandler = (request: HttpRequest) => Promise<HttpAnswer>;
