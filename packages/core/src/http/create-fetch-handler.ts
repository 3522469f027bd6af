import type { Orchestrator } from "../orchestrator/orchestrator.js";
import { createHttpHandler } from "./create-http-handler.js";
import type { FetchHandlerOptions } from "./fetch-handler-options.js";
import { fromWebRequest, toWebResponse } from "./web-exchange.js";

/** A web-standard request handler: what `fetch` handlers on Workers, Deno, Bun and the adapters call. */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * The HTTP API of an orchestrator as one web-standard handler (`Request` in, `Response` out), which every
 * adapter wraps. Routes, relative to `basePath`:
 * - `POST /` `{"prompt", "options"?}` → `202 {id, details: RunView}` with `Location`;
 * - `GET /` → `{runs, nextCursor?}`; `GET /:id` → `RunView`; `GET /:id/events` → SSE;
 * - `POST /:id/cancel` → `202 RunView`.
 * Errors are `{"error": {"code", "message"}}` with the status of `httpStatusForCode`. Invalid options throw
 * `INVALID_ARGUMENT` here, at creation. The same API without web objects: `createHttpHandler`.
 */
export function createFetchHandler(
  orchestrator: Orchestrator,
  options: FetchHandlerOptions = {},
): FetchHandler {
  const handle = createHttpHandler(orchestrator, options);
  return async (request) => toWebResponse(await handle(fromWebRequest(request)));
}
