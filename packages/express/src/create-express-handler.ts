import {
  createHttpHandler,
  type FetchHandlerOptions,
  type HttpHandler,
  type Orchestrator,
} from "@orchestrator-workers/core";
import express, { type Router } from "express";
import { httpRequestFromExpress } from "./http-request-from-express.js";
import { writeAnswer } from "./write-answer.js";

const maxCachedBasePaths = 64;

/**
 * The orchestrator HTTP API as an Express router: mount it anywhere (`app.use("/runs", handler)`). Every
 * request is answered by the core's `createHttpHandler` (the routes and rules of `createFetchHandler`, without
 * building web `Request`/`Response` objects) and the answer is written back; this adapter adds no routes,
 * rules or error formats of its own. It works with or without
 * `express.json()` before it. The base path is the mount path (`req.baseUrl`), so `options.basePath` is
 * ignored. Invalid options throw `INVALID_ARGUMENT` here, at creation.
 */
export function createExpressHandler(orchestrator: Orchestrator, options: FetchHandlerOptions = {}): Router {
  // One core handler per mount path: mounting the router twice, or under a path with parameters, still
  // answers each mount's own `Location`. The cache is bounded for mount paths with parameters.
  const handlers = new Map<string, HttpHandler>([
    ["", createHttpHandler(orchestrator, { ...options, basePath: "" })],
  ]);
  const handlerFor = (basePath: string): HttpHandler => {
    let handler = handlers.get(basePath);
    if (handler === undefined) {
      if (handlers.size >= maxCachedBasePaths) handlers.clear();
      handler = createHttpHandler(orchestrator, { ...options, basePath });
      handlers.set(basePath, handler);
    }
    return handler;
  };

  const router = express.Router();
  router.use(async (request, response) => {
    // The core handler answers every error itself and never rejects.
    const answer = await handlerFor(request.baseUrl)(httpRequestFromExpress(request, response));
    try {
      await writeAnswer(answer, response);
    } catch {
      response.destroy();
    }
  });
  return router;
}
