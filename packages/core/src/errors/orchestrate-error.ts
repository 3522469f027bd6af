import type { ErrorCode } from "./error-code.js";

const marker = Symbol.for("orchestrator-workers.error");

/** Options for {@link OrchestrateError}. */
export interface OrchestrateErrorOptions {
  /** The stable error code; see `docs/errors.md`. */
  code: ErrorCode;
  /** A precise, human-readable message: what was wrong, what was expected, what was received. */
  message: string;
  /** The original error, if this one wraps another. */
  cause?: unknown;
  /** The run the error belongs to, when known. */
  runId?: string;
  /** The subtask the error belongs to, when known. */
  taskId?: string;
  /** The option or field that was invalid (for `INVALID_ARGUMENT`). */
  option?: string;
  /** The upstream HTTP status code (for `MODEL_ERROR`), when known. */
  statusCode?: number;
  /** Whether retrying the same operation may succeed. @default depends on the code */
  isRetryable?: boolean;
  /** How long the upstream asked us to wait before retrying, in milliseconds (from `Retry-After`). */
  retryAfterMs?: number;
}

const retryableByDefault: ReadonlySet<ErrorCode> = new Set([
  "MODEL_ERROR",
  "TIMEOUT",
  "STORE_UNAVAILABLE",
  "RATE_LIMITED",
]);

/**
 * The one error type of the library. Detect it with {@link OrchestrateError.isInstance}, which works across
 * two copies of the package, and branch on {@link OrchestrateError.code}.
 */
export class OrchestrateError extends Error {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through the symbol by isInstance().
  private readonly [marker] = true;
  override readonly name = "OrchestrateError";
  /** The stable error code. */
  readonly code: ErrorCode;
  /** The run the error belongs to, when known. */
  readonly runId: string | undefined;
  /** The subtask the error belongs to, when known. */
  readonly taskId: string | undefined;
  /** The option or field that was invalid, for `INVALID_ARGUMENT`. */
  readonly option: string | undefined;
  /** The upstream HTTP status code, when known. */
  readonly statusCode: number | undefined;
  /** Whether retrying may succeed. */
  readonly isRetryable: boolean;
  /** How long the upstream asked us to wait before retrying, in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(options: OrchestrateErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.runId = options.runId;
    this.taskId = options.taskId;
    this.option = options.option;
    this.statusCode = options.statusCode;
    this.isRetryable = options.isRetryable ?? retryableByDefault.has(options.code);
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Whether `error` is an {@link OrchestrateError}, from this or any other copy of the package. */
  static isInstance(error: unknown): error is OrchestrateError {
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }

  /** A plain, serializable `{ code, message }` (plus `taskId` when set), safe to store and to send to clients. */
  toJSON(): SerializedError {
    return serializeError(this);
  }
}

/** The serializable form of an error, as stored in events and sent over HTTP. */
export interface SerializedError {
  /** The stable error code. */
  code: ErrorCode;
  /** The human-readable message. */
  message: string;
  /** The subtask the error belongs to, when known. */
  taskId?: string;
}

/** Turns any error into a {@link SerializedError}; unknown errors become `INTERNAL` with their message. */
export function serializeError(error: unknown): SerializedError {
  if (OrchestrateError.isInstance(error)) {
    const serialized: SerializedError = { code: error.code, message: error.message };
    if (error.taskId !== undefined) serialized.taskId = error.taskId;
    return serialized;
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: "INTERNAL", message };
}

/** Shorthand for an `INVALID_ARGUMENT` error naming the option, what was expected and what was received. */
export function invalidArgument(option: string, expected: string, received: unknown): OrchestrateError {
  return new OrchestrateError({
    code: "INVALID_ARGUMENT",
    option,
    message: `Invalid option "${option}": expected ${expected}, received ${describeValue(received)}.`,
  });
}

/** A short description of a value for error messages: its type and, for scalars, the value itself. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "string")
    return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return `${typeof value} ${String(value)}`;
  }
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return "an object";
}
