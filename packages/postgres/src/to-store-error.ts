import { OrchestrateError } from "@orchestrator-workers/core";

// SQLSTATE classes that mean "the database cannot serve us right now", not "the request is wrong":
// connection exceptions (08), insufficient resources such as too many connections (53), operator
// intervention such as a shutdown or a start-up in progress (57P).
const unavailableClasses = ["08", "53", "57P"];
// Socket errors of Node, and the messages of pg's own connection failures (which carry no code).
const networkCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);
const connectionMessage = /connect|connection|terminated|timeout|not queryable|pool after calling end/i;

/**
 * `STORE_UNAVAILABLE` for an error that means Postgres cannot be reached or cannot serve (refused or lost
 * connection, connection timeout, server shutting down, too many connections); any other error unchanged.
 */
export function toStoreError(error: unknown): unknown {
  if (OrchestrateError.isInstance(error) || !(error instanceof Error) || error instanceof TypeError)
    return error;
  const code = (error as { code?: unknown }).code;
  const unavailable =
    typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)
      ? unavailableClasses.some((prefix) => code.startsWith(prefix))
      : (typeof code === "string" && networkCodes.has(code)) || connectionMessage.test(error.message);
  if (!unavailable) return error;
  return new OrchestrateError({
    code: "STORE_UNAVAILABLE",
    message: `The Postgres store is unavailable: ${error.message || String(code)}`,
    cause: error,
  });
}
