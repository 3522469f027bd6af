import { APICallError, RetryError } from "ai";
import { OrchestrateError, type OrchestrateErrorOptions } from "../errors/orchestrate-error.js";
import { parseRetryAfter } from "./parse-retry-after.js";

/** Where an error was thrown, used to label it and to fill {@link OrchestrateError.runId} and `taskId`. */
export interface ErrorContext {
  /** The run the failing call belongs to. */
  runId?: string;
  /** The subtask the failing call belongs to (worker calls). */
  taskId?: string;
  /** The role whose call failed; it prefixes the message, e.g. `worker failed: ...`. */
  role?: "orchestrator" | "worker" | "aggregator";
}

// Checked by marker rather than by import: `StreamProviderError` is newer than the `ai@^7.0.0` peer range.
const streamProviderErrorMarker = Symbol.for("vercel.ai.error.AI_StreamProviderError");

interface StreamProviderErrorLike {
  message: string;
  statusCode?: number;
  isRetryable?: boolean;
}

/**
 * Classifies anything a role threw as an {@link OrchestrateError}, keeping the original as `cause`:
 * - an `OrchestrateError` is returned as is, or copied with `runId`/`taskId` filled in when they were missing;
 * - an AI SDK `RetryError` is classified by its `lastError`;
 * - an AI SDK `APICallError` (or `StreamProviderError`) becomes `MODEL_ERROR` with its `statusCode`, retryable
 *   unless the status is a 4xx other than 408, 409 and 429, with `retryAfterMs` from `retry-after-ms` or
 *   `retry-after`;
 * - an `AbortError` becomes `CANCELLED` (not retryable), a `TimeoutError` becomes `TIMEOUT` (retryable);
 * - anything else becomes `TASK_FAILED`, retryable: like a Temporal activity failure, an unknown error is
 *   treated as transient until proven otherwise. Throw an `OrchestrateError` with `isRetryable: false` to opt out.
 *
 * AI SDK errors are detected with their static `isInstance`, so this works across copies of the `ai` package.
 */
export function toOrchestrateError(error: unknown, context: ErrorContext = {}): OrchestrateError {
  if (OrchestrateError.isInstance(error)) return withContext(error, context);
  if (RetryError.isInstance(error) && error.errors.length > 0) {
    return toOrchestrateError(error.lastError, context);
  }
  if (APICallError.isInstance(error)) {
    return modelError(error, context, {
      statusCode: error.statusCode,
      isRetryable: isRetryableStatus(error.statusCode),
      retryAfterMs: parseRetryAfter(error.responseHeaders),
    });
  }
  if (isStreamProviderError(error)) {
    const isRetryable =
      error.statusCode === undefined ? error.isRetryable !== false : isRetryableStatus(error.statusCode);
    return modelError(error, context, { statusCode: error.statusCode, isRetryable });
  }
  const label = context.role ?? "operation";
  const base = { runId: context.runId, taskId: context.taskId, cause: error };
  switch (errorName(error)) {
    case "AbortError":
      return new OrchestrateError({
        ...base,
        code: "CANCELLED",
        message: `${label} was cancelled: ${messageOf(error)}`,
        isRetryable: false,
      });
    case "TimeoutError":
      return new OrchestrateError({
        ...base,
        code: "TIMEOUT",
        message: `${label} timed out: ${messageOf(error)}`,
        isRetryable: true,
      });
    default:
      return new OrchestrateError({
        ...base,
        code: "TASK_FAILED",
        message: `${label} failed: ${messageOf(error)}`,
        isRetryable: true,
      });
  }
}

/**
 * Whether an upstream HTTP status may succeed on retry: no status (a network failure), 408, 409, 429 and
 * every 5xx. Every other 4xx is the caller's fault and fails the same way again.
 */
export function isRetryableStatus(statusCode: number | undefined): boolean {
  if (statusCode === undefined) return true;
  return statusCode === 408 || statusCode === 409 || statusCode === 429 || statusCode >= 500;
}

function withContext(error: OrchestrateError, context: ErrorContext): OrchestrateError {
  const runId = error.runId ?? context.runId;
  const taskId = error.taskId ?? context.taskId;
  if (runId === error.runId && taskId === error.taskId) return error;
  const copy = new OrchestrateError({
    code: error.code,
    message: error.message,
    cause: error.cause,
    runId,
    taskId,
    option: error.option,
    statusCode: error.statusCode,
    isRetryable: error.isRetryable,
    retryAfterMs: error.retryAfterMs,
  });
  // Keep the original stack: it points at the throw site, the copy's would point here.
  if (error.stack !== undefined) copy.stack = error.stack;
  return copy;
}

function isStreamProviderError(error: unknown): error is StreamProviderErrorLike {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as Record<symbol, unknown>)[streamProviderErrorMarker] === true
  );
}

function modelError(
  error: { message: string },
  context: ErrorContext,
  details: Pick<OrchestrateErrorOptions, "statusCode" | "isRetryable" | "retryAfterMs">,
): OrchestrateError {
  const who = context.role === undefined ? "model call" : `${context.role} model call`;
  const status = details.statusCode === undefined ? "" : ` (HTTP ${details.statusCode})`;
  return new OrchestrateError({
    ...details,
    code: "MODEL_ERROR",
    message: `${who} failed${status}: ${error.message}`,
    cause: error,
    runId: context.runId,
    taskId: context.taskId,
  });
}

function errorName(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === "string" ? name : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { message?: unknown }).message === "string"
  ) {
    return (error as { message: string }).message;
  }
  return String(error);
}
