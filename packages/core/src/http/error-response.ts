import { type ErrorCode, httpStatusForCode, isErrorCode } from "../errors/error-code.js";
import { OrchestrateError } from "../errors/orchestrate-error.js";
import type { HttpAnswer } from "./http-exchange.js";
import { jsonAnswer } from "./json-answer.js";
import { toWebResponse } from "./web-exchange.js";

/** The body of every error answer: `{"error": {"code", "message"}}`. */
export interface ErrorBody {
  error: {
    /** The stable error code; see `docs/errors.md`. */
    code: ErrorCode;
    /** What was wrong. Generic for unexpected errors: never a stack trace or an internal detail. */
    message: string;
  };
}

/** Errors whose own message may carry server internals (a connection string, a driver message). */
const genericMessages: Partial<Record<ErrorCode, string>> = {
  INTERNAL: "Internal server error.",
  STORE_UNAVAILABLE: "The run store is unavailable. Try again later.",
};

/**
 * What a client may see of an error, with its HTTP status from {@link httpStatusForCode}. An
 * `OrchestrateError` keeps its code and message; anything else is `INTERNAL` with a generic message.
 */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody; retryAfterMs?: number } {
  const code: ErrorCode =
    OrchestrateError.isInstance(error) && isErrorCode(error.code) ? error.code : "INTERNAL";
  const message =
    genericMessages[code] ?? (OrchestrateError.isInstance(error) ? error.message : genericMessages.INTERNAL!);
  const result: { status: number; body: ErrorBody; retryAfterMs?: number } = {
    status: httpStatusForCode[code],
    body: { error: { code, message } },
  };
  if (OrchestrateError.isInstance(error) && error.retryAfterMs !== undefined) {
    result.retryAfterMs = error.retryAfterMs;
  }
  return result;
}

/**
 * The HTTP answer for any error: `{"error": {"code", "message"}}` with the status of its code, plus
 * `Retry-After` when the error carries one. Adapters use it for errors they meet while translating a request,
 * so that every error has the same shape.
 * @param headers Extra response headers, such as `Allow`. @default none
 */
export function errorAnswer(error: unknown, headers?: Record<string, string>): HttpAnswer {
  const { status, body, retryAfterMs } = toErrorBody(error);
  const extra: Record<string, string> =
    retryAfterMs === undefined ? {} : { "retry-after": String(Math.max(0, Math.ceil(retryAfterMs / 1000))) };
  if (headers !== undefined) Object.assign(extra, headers);
  return jsonAnswer(body, status, extra);
}

/** {@link errorAnswer} as a web `Response`. */
export function errorResponse(error: unknown, headers?: Record<string, string>): Response {
  return toWebResponse(errorAnswer(error, headers));
}

/** Shorthand for an {@link OrchestrateError} answered over HTTP. */
export function httpError(code: ErrorCode, message: string, option?: string): OrchestrateError {
  return new OrchestrateError(option === undefined ? { code, message } : { code, message, option });
}
