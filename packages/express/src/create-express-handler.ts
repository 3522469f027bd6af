import {
  createFetchHandler,
  errorResponse,
  type FetchHandler,
  type FetchHandlerOptions,
  OrchestrateError,
  type Orchestrator,
} from "@orchestrator-workers/core";
import express, { type Router } from "express";
import { requestFromExpress } from "./request-from-express.js";
import { writeResponse } from "./write-response.js";

const maxCachedBasePaths = 64;

/**
 * The orchestrator HTTP API as an Express router: mount it anywhere (`app.use("/runs", handler)`). Every
 * request is translated to a web `Request`, answered by the core's `createFetchHandler`, and the `Response`
 * is written back; this adapter adds no routes, rules or error formats of its own. It works with or without
 * `express.json()` before it. The base path is the mount path (`req.baseUrl`), so `options.basePath` is
 * ignored. Invalid options throw `INVALID_ARGUMENT` here, at creation.
 */
export function createExpressHandler(orchestrator: Orchestrator, options: FetchHandlerOptions = {}): Router {
  // One core handler per mount path: mounting the router twice, or under a path with parameters, still
  // answers each mount's own `Location`. The cache is bounded for mount paths with parameters.
  const handlers = new Map<string, FetchHandler>([
    ["", createFetchHandler(orchestrator, { ...options, basePath: "" })],
  ]);
  const handlerFor = (basePath: string): FetchHandler => {
    let handler = handlers.get(basePath);
    if (handler === undefined) {
      if (handlers.size >= maxCachedBasePaths) handlers.clear();
      handler = createFetchHandler(orchestrator, { ...options, basePath });
      handlers.set(basePath, handler);
    }
    return handler;
  };

  const router = express.Router();
  router.use(async (request, response) => {
    const controller = new AbortController();
    // 'close' before the response finished means the client went away: abort, which ends an SSE subscription.
    response.once("close", () => {
      if (!response.writableFinished) controller.abort();
    });
    let answer: Response;
    try {
      answer = await handlerFor(request.baseUrl)(requestFromExpress(request, controller.signal));
    } catch (error) {
      answer = errorResponse(
        OrchestrateError.isInstance(error)
          ? error
          : new OrchestrateError({
              code: "INVALID_ARGUMENT",
              message: "The request could not be read.",
              cause: error,
            }),
      );
    }
    try {
      await writeResponse(answer, response);
    } catch {
      response.destroy();
    }
  });
  return router;
}
