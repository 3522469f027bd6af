import { APICallError, RetryError } from "ai";
import { describe, expect, it } from "vitest";
import { OrchestrateError } from "../errors/orchestrate-error.js";
import { isRetryableStatus, toOrchestrateError } from "./to-orchestrate-error.js";

function apiCallError(
  statusCode: number | undefined,
  responseHeaders?: Record<string, string>,
): APICallError {
  return new APICallError({
    message: "upstream said no",
    url: "https://api.example.test/v1/chat",
    requestBodyValues: {},
    statusCode,
    responseHeaders,
  });
}

describe("toOrchestrateError", () => {
  it("returns an OrchestrateError that already has its context as is", () => {
    const error = new OrchestrateError({ code: "PLAN_INVALID", message: "cycle", runId: "r1" });
    expect(toOrchestrateError(error, { runId: "r1", role: "orchestrator" })).toBe(error);
    expect(toOrchestrateError(error, {})).toBe(error);
  });

  it("fills a missing runId and taskId, keeping every other field", () => {
    const cause = new Error("root");
    const error = new OrchestrateError({
      code: "MODEL_ERROR",
      message: "boom",
      cause,
      statusCode: 503,
      isRetryable: false,
      retryAfterMs: 100,
      runId: "r1",
    });
    const result = toOrchestrateError(error, { runId: "other", taskId: "t1", role: "worker" });
    expect(result).not.toBe(error);
    expect(result).toMatchObject({
      code: "MODEL_ERROR",
      message: "boom",
      runId: "r1",
      taskId: "t1",
      statusCode: 503,
      isRetryable: false,
      retryAfterMs: 100,
    });
    expect(result.cause).toBe(cause);
    expect(result.stack).toBe(error.stack);
  });

  it.each([429, 408, 409, 500, 503])("classifies APICallError %i as a retryable MODEL_ERROR", (status) => {
    const error = apiCallError(status);
    const result = toOrchestrateError(error, { runId: "r1", taskId: "t1", role: "worker" });
    expect(result).toMatchObject({
      code: "MODEL_ERROR",
      statusCode: status,
      isRetryable: true,
      runId: "r1",
      taskId: "t1",
      message: `worker model call failed (HTTP ${status}): upstream said no`,
    });
    expect(result.cause).toBe(error);
  });

  it.each([400, 401, 403, 404, 422])("does not retry APICallError %i", (status) => {
    expect(toOrchestrateError(apiCallError(status), { role: "worker" })).toMatchObject({
      code: "MODEL_ERROR",
      statusCode: status,
      isRetryable: false,
    });
  });

  it("retries an APICallError without a status (a network failure)", () => {
    const result = toOrchestrateError(apiCallError(undefined), { role: "aggregator" });
    expect(result).toMatchObject({ code: "MODEL_ERROR", statusCode: undefined, isRetryable: true });
    expect(result.message).toBe("aggregator model call failed: upstream said no");
  });

  it("reads Retry-After from the response headers", () => {
    expect(toOrchestrateError(apiCallError(429, { "retry-after": "2" }), {}).retryAfterMs).toBe(2000);
    expect(toOrchestrateError(apiCallError(429, { "retry-after-ms": "250" }), {}).retryAfterMs).toBe(250);
    expect(toOrchestrateError(apiCallError(429), {}).retryAfterMs).toBeUndefined();
  });

  it("detects an APICallError from another copy of the AI SDK by its marker", () => {
    const foreign = Object.assign(new Error("copy"), {
      [Symbol.for("vercel.ai.error.AI_APICallError")]: true,
      statusCode: 404,
      responseHeaders: {},
    });
    expect(toOrchestrateError(foreign, {})).toMatchObject({
      code: "MODEL_ERROR",
      statusCode: 404,
      isRetryable: false,
    });
  });

  it("classifies a RetryError by its last error", () => {
    const last = apiCallError(400);
    const error = new RetryError({
      message: "Failed after 3 attempts",
      reason: "maxRetriesExceeded",
      errors: [apiCallError(503), last],
    });
    const result = toOrchestrateError(error, { role: "orchestrator" });
    expect(result).toMatchObject({ code: "MODEL_ERROR", statusCode: 400, isRetryable: false });
    expect(result.cause).toBe(last);
  });

  it("classifies a StreamProviderError-like error as MODEL_ERROR", () => {
    const streamError = Object.assign(new Error("overloaded"), {
      [Symbol.for("vercel.ai.error")]: true,
      [Symbol.for("vercel.ai.error.AI_StreamProviderError")]: true,
      statusCode: 529,
      isRetryable: true,
    });
    expect(toOrchestrateError(streamError, { role: "worker" })).toMatchObject({
      code: "MODEL_ERROR",
      statusCode: 529,
      isRetryable: true,
    });
    const noStatus = Object.assign(new Error("refused"), {
      [Symbol.for("vercel.ai.error.AI_StreamProviderError")]: true,
      isRetryable: false,
    });
    expect(toOrchestrateError(noStatus, {})).toMatchObject({ code: "MODEL_ERROR", isRetryable: false });
  });

  it("classifies abort errors as CANCELLED and timeouts as TIMEOUT", () => {
    const aborted = toOrchestrateError(new DOMException("This operation was aborted", "AbortError"), {
      taskId: "t1",
      role: "worker",
    });
    expect(aborted).toMatchObject({ code: "CANCELLED", isRetryable: false, taskId: "t1" });
    const timedOut = toOrchestrateError(AbortSignal.timeout(0).reason ?? timeoutError(), { role: "worker" });
    expect(timedOut).toMatchObject({ code: "TIMEOUT", isRetryable: true });
  });

  it("classifies a signal's default abort reason as CANCELLED", () => {
    const controller = new AbortController();
    controller.abort();
    expect(toOrchestrateError(controller.signal.reason, {}).code).toBe("CANCELLED");
  });

  it("turns any other error into a retryable TASK_FAILED that keeps its cause", () => {
    const error = new TypeError("cannot read x");
    const result = toOrchestrateError(error, { runId: "r1", taskId: "t2", role: "worker" });
    expect(result).toMatchObject({
      code: "TASK_FAILED",
      message: "worker failed: cannot read x",
      isRetryable: true,
      runId: "r1",
      taskId: "t2",
    });
    expect(result.cause).toBe(error);
  });

  it("accepts thrown values that are not errors", () => {
    expect(toOrchestrateError("nope", { role: "aggregator" }).message).toBe("aggregator failed: nope");
    expect(toOrchestrateError(undefined, {}).message).toBe("operation failed: undefined");
  });
});

describe("isRetryableStatus", () => {
  it("retries 408, 409, 429, 5xx and missing statuses only", () => {
    expect([undefined, 408, 409, 429, 500, 502, 599].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 413, 422].some(isRetryableStatus)).toBe(false);
  });
});

function timeoutError(): DOMException {
  return new DOMException("The operation timed out", "TimeoutError");
}
