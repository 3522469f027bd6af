import type { Orchestrator, RunOptions } from "../orchestrator/orchestrator.js";
import { httpError } from "./error-response.js";
import type { ResolvedFetchHandlerOptions } from "./fetch-handler-options.js";
import { fingerprintOf } from "./fingerprint.js";
import type { HttpAnswer, HttpRequest } from "./http-exchange.js";
import { jsonAnswer } from "./json-answer.js";
import { parseRunRequest } from "./parse-run-request.js";
import { readJsonBody } from "./read-json-body.js";

const idempotencyKeyPattern = /^[\x21-\x7e][\x20-\x7e]{0,254}$/;

/**
 * `POST /`: validates `{prompt, options?}`, starts a run and answers `202 {id, details}` with `Location`.
 * With an `Idempotency-Key`, the run is created once per key and tenant: a replay with the same body answers
 * `200` with the same run; a replay with another body is `IDEMPOTENCY_CONFLICT` (409): the body's fingerprint
 * (SHA-256 of its normalized JSON) is stored with the key and compared with `RunHandle.fingerprint`.
 */
export async function handleCreateRun(
  orchestrator: Orchestrator,
  settings: ResolvedFetchHandlerOptions,
  request: HttpRequest,
  tenant: string | undefined,
): Promise<HttpAnswer> {
  const idempotencyKey = request.header("idempotency-key") ?? undefined;
  if (idempotencyKey !== undefined && !idempotencyKeyPattern.test(idempotencyKey)) {
    throw httpError(
      "INVALID_ARGUMENT",
      `Invalid header "Idempotency-Key": expected 1 to 255 printable ASCII characters, received ${idempotencyKey.length} characters.`,
      "Idempotency-Key",
    );
  }
  const runRequest = parseRunRequest(await readJsonBody(request, settings.maxBodyBytes), settings);
  const options: RunOptions = { ...runRequest.options };
  if (tenant !== undefined) options.tenant = tenant;
  const fingerprint = idempotencyKey === undefined ? undefined : await fingerprintOf(runRequest);
  if (idempotencyKey !== undefined) Object.assign(options, { idempotencyKey, fingerprint });
  const handle = await orchestrator.start(runRequest.prompt, options);
  // Nobody awaits the result here (clients poll or stream); a rejection must not become an unhandled one.
  // A matched existing run is not touched: reading its `result` would start following it.
  if (handle.created) handle.result.catch(() => {});
  if (!handle.created && handle.fingerprint !== fingerprint) {
    throw httpError(
      "IDEMPOTENCY_CONFLICT",
      "This Idempotency-Key was already used with a different request body; use a new key for a new run.",
    );
  }
  const details = await orchestrator.get(handle.id, tenant === undefined ? {} : { tenant });
  return jsonAnswer({ id: handle.id, details }, handle.created ? 202 : 200, {
    location: `${settings.basePath}/${encodeURIComponent(handle.id)}`,
  });
}
