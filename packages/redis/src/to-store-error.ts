import { OrchestrateError } from "@orchestrator-workers/core";

// Replies of a server that is up but cannot serve now: loading its data, busy with a script, a replica that
// lost its primary or is read-only after a failover.
const unavailableReplies = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\b/;
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
// ioredis' own failures: retries exhausted while disconnected, a closed connection, a command timeout.
const connectionMessage = /max retries|connection is closed|isn't writeable|timed out|connect/i;

/**
 * `STORE_UNAVAILABLE` for an error that means Redis cannot be reached or cannot serve now (refused or lost
 * connection, command timeout, server loading or read-only); any other error unchanged.
 */
export function toStoreError(error: unknown): unknown {
  if (OrchestrateError.isInstance(error) || !(error instanceof Error) || error instanceof TypeError)
    return error;
  const code = (error as { code?: unknown }).code;
  const unavailable =
    error.name === "ReplyError"
      ? unavailableReplies.test(error.message)
      : (typeof code === "string" && networkCodes.has(code)) ||
        error.name === "MaxRetriesPerRequestError" ||
        connectionMessage.test(error.message);
  if (!unavailable) return error;
  return new OrchestrateError({
    code: "STORE_UNAVAILABLE",
    message: `The Redis store is unavailable: ${error.message}`,
    cause: error,
  });
}
