/**
 * The closed set of error codes an {@link OrchestrateError} can carry.
 * Each code has one anchor in `docs/errors.md` and one HTTP status in {@link httpStatusForCode}.
 */
export type ErrorCode =
  | "INVALID_ARGUMENT"
  | "PLAN_INVALID"
  | "TASK_FAILED"
  | "MODEL_ERROR"
  | "TIMEOUT"
  | "CANCELLED"
  | "BUDGET_EXCEEDED"
  | "RUN_NOT_FOUND"
  | "RUN_LOCKED"
  | "STORE_CONFLICT"
  | "STORE_UNAVAILABLE"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "IDEMPOTENCY_CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "RATE_LIMITED"
  | "INTERNAL";

/**
 * One closed table from error code to HTTP status. Every HTTP adapter uses it, so a code always maps to the
 * same status wherever it surfaces.
 */
export const httpStatusForCode: Readonly<Record<ErrorCode, number>> = Object.freeze({
  INVALID_ARGUMENT: 400,
  PLAN_INVALID: 422,
  TASK_FAILED: 502,
  MODEL_ERROR: 502,
  TIMEOUT: 504,
  CANCELLED: 409,
  BUDGET_EXCEEDED: 402,
  RUN_NOT_FOUND: 404,
  RUN_LOCKED: 409,
  STORE_CONFLICT: 409,
  STORE_UNAVAILABLE: 503,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  IDEMPOTENCY_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  RATE_LIMITED: 429,
  INTERNAL: 500,
});

/** Every code, in table order. */
export const errorCodes = Object.freeze(Object.keys(httpStatusForCode) as ErrorCode[]);

/** Whether `value` is one of the known {@link ErrorCode}s. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(httpStatusForCode, value);
}
