import { OrchestrateError } from "@orchestrator-workers/core";

// Primary result codes (the low byte of extended ones) meaning another connection holds the lock.
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;

/**
 * `STORE_UNAVAILABLE` for an error that says the database is locked by another connection for longer than
 * the busy timeout; any other error unchanged.
 */
export function toStoreError(error: unknown): unknown {
  if (OrchestrateError.isInstance(error)) return error;
  const code = (error as { errcode?: unknown } | null)?.errcode;
  if (typeof code === "number" && ((code & 0xff) === SQLITE_BUSY || (code & 0xff) === SQLITE_LOCKED)) {
    return new OrchestrateError({
      code: "STORE_UNAVAILABLE",
      message: `The SQLite database stayed locked by another connection past the busy timeout: ${(error as Error).message}`,
      cause: error,
    });
  }
  return error;
}
