import type { Orchestrator } from "../orchestrator/orchestrator.js";
import { isFinalRunStatus } from "../types/status.js";
import { errorAnswer, httpError } from "./error-response.js";
import {
  type FetchHandlerOptions,
  type ResolvedFetchHandlerOptions,
  resolveFetchHandlerOptions,
} from "./fetch-handler-options.js";
import { handleCreateRun } from "./handle-create-run.js";
import { handleListRuns } from "./handle-list-runs.js";
import type { HttpAnswer, HttpHandler, HttpRequest } from "./http-exchange.js";
import { jsonAnswer } from "./json-answer.js";
import { isValidRunId, matchRoute } from "./match-route.js";
import { readResumeSeq } from "./read-resume-seq.js";
import { sseAnswer } from "./sse-answer.js";

/**
 * The HTTP API of an orchestrator as one function from {@link HttpRequest} to {@link HttpAnswer}: the routes,
 * rules and error format of `createFetchHandler`, without web `Request` and `Response` objects. Server
 * adapters on Node use it to skip building those for every call (the Express adapter does); everything else
 * should use `createFetchHandler`. Routes, relative to `basePath`:
 * - `POST /` `{"prompt", "options"?}` → `202 {id, details: RunView}` with `Location`;
 * - `GET /` → `{runs, nextCursor?}`; `GET /:id` → `RunView`; `GET /:id/events` → SSE;
 * - `POST /:id/cancel` → `202 RunView`.
 * Errors are `{"error": {"code", "message"}}` with the status of `httpStatusForCode`; the handler never
 * rejects. Invalid options throw `INVALID_ARGUMENT` here, at creation.
 */
export function createHttpHandler(
  orchestrator: Orchestrator,
  options: FetchHandlerOptions = {},
): HttpHandler {
  const settings = resolveFetchHandlerOptions(options);
  return async (request) => {
    try {
      return await route(orchestrator, settings, request);
    } catch (error) {
      const answer = errorAnswer(error);
      if (answer.status >= 500) settings.onError(error, () => request.toRequest(), answer.status);
      return answer;
    }
  };
}

async function route(
  orchestrator: Orchestrator,
  settings: ResolvedFetchHandlerOptions,
  request: HttpRequest,
): Promise<HttpAnswer> {
  const url = new URL(request.url);
  const match = matchRoute(url.pathname, settings.basePath);
  if (match === undefined)
    throw httpError("NOT_FOUND", `No route for ${request.method} ${url.pathname.slice(0, 200)}.`);
  if (!match.methods.includes(request.method)) {
    const allow = match.methods.join(", ");
    return errorAnswer(
      httpError(
        "METHOD_NOT_ALLOWED",
        `Method ${request.method.slice(0, 20)} is not allowed here; use ${allow}.`,
      ),
      { allow },
    );
  }
  const tenant = await authenticate(settings, request);
  const scope = tenant === undefined ? {} : { tenant };
  if (match.name === "runs") {
    if (request.method === "POST") return handleCreateRun(orchestrator, settings, request, tenant);
    return jsonAnswer(await handleListRuns(orchestrator, url, tenant));
  }
  const id = match.id!;
  if (!isValidRunId(id)) throw runNotFound(id);
  if (match.name === "run-cancel") return jsonAnswer(await orchestrator.cancel(id, scope), 202);
  const after = match.name === "run-events" ? readResumeSeq(request, url) : 0;
  const view = await orchestrator.get(id, scope);
  if (view === undefined) throw runNotFound(id);
  if (match.name === "run") return jsonAnswer(view);
  // A finished run with nothing after `after`: 204 tells a reconnecting EventSource to stop.
  if (isFinalRunStatus(view.status) && after >= view.seq) return { status: 204, headers: {}, body: null };
  return sseAnswer({
    subscribe: (signal) => orchestrator.subscribe(id, { after, signal }),
    signal: request.signal,
    heartbeatMs: settings.heartbeatMs,
    onError: (error, status) => {
      if (status >= 500) settings.onError(error, () => request.toRequest(), status);
    },
  });
}

async function authenticate(
  settings: ResolvedFetchHandlerOptions,
  request: HttpRequest,
): Promise<string | undefined> {
  if (settings.authenticate === undefined) return undefined;
  const result = await settings.authenticate(request.toRequest());
  if (result === null || result === undefined) throw httpError("UNAUTHENTICATED", "Authentication required.");
  if (result.tenant !== undefined && typeof result.tenant !== "string") {
    throw new TypeError("authenticate() answered a tenant that is not a string.");
  }
  return result.tenant;
}

function runNotFound(id: string) {
  return httpError("RUN_NOT_FOUND", `Run ${JSON.stringify(id.slice(0, 128))} was not found.`);
}
