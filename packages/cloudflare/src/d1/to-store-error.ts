import { OrchestrateError } from "@orchestrator-workers/core";

// Messages D1 uses when the database could not be reached or was briefly unable to answer.
const transientPatterns = [
  /network connection lost/i,
  /overloaded/i,
  /timed? ?out/i,
  /internal error/i,
  /connection reset/i,
  /try again/i,
  /storage caused object to be reset/i,
];

/**
 * Classifies an error D1 threw: `STORE_UNAVAILABLE` (retryable) when D1 could not be reached or answer,
 * `INVALID_ARGUMENT` when a value exceeds D1's row size limit (2 MB), anything else unchanged.
 */
export function toStoreError(error: unknown, runId?: string): unknown {
  if (OrchestrateError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/too big|SQLITE_TOOBIG/i.test(message)) {
    return new OrchestrateError({
      code: "INVALID_ARGUMENT",
      runId,
      message: `A value is larger than D1 accepts in one row (2 MB): ${message}`,
      cause: error,
    });
  }
  if (transientPatterns.some((pattern) => pattern.test(message))) {
    return new OrchestrateError({
      code: "STORE_UNAVAILABLE",
      runId,
      message: `D1 is unavailable: ${message}`,
      cause: error,
    });
  }
  return error;
}

/** Whether a D1 error is a uniqueness violation (a concurrent writer got there first). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(error.message);
}
