import { describe, expect, it } from "vitest";
import { OrchestrateError } from "../errors/orchestrate-error.js";
import {
  computeRetryDelay,
  defaultRetryOptions,
  maxRetryAfterMs,
  resolveRetryOptions,
  shouldRetry,
} from "./retry-policy.js";

const noJitter = { ...defaultRetryOptions, jitter: false };
const modelError = new OrchestrateError({ code: "MODEL_ERROR", message: "upstream 503", statusCode: 503 });

describe("resolveRetryOptions", () => {
  it("fills in the documented defaults", () => {
    expect(resolveRetryOptions()).toEqual({
      attempts: 3,
      initialDelayMs: 500,
      maxDelayMs: 10_000,
      factor: 2,
      jitter: true,
    });
    expect(resolveRetryOptions({ attempts: undefined })).toEqual(defaultRetryOptions);
  });

  it("keeps the values given", () => {
    const options = { attempts: 1, initialDelayMs: 0, maxDelayMs: 50, factor: 1, jitter: false };
    expect(resolveRetryOptions(options)).toEqual(options);
  });

  it.each([
    [{ attempts: 0 }, "retry.attempts"],
    [{ attempts: 1.5 }, "retry.attempts"],
    [{ attempts: Number.POSITIVE_INFINITY }, "retry.attempts"],
    [{ initialDelayMs: -1 }, "retry.initialDelayMs"],
    [{ initialDelayMs: Number.NaN }, "retry.initialDelayMs"],
    [{ maxDelayMs: Number.POSITIVE_INFINITY }, "retry.maxDelayMs"],
    [{ factor: 0.5 }, "retry.factor"],
    [{ jitter: "yes" as unknown as boolean }, "retry.jitter"],
  ])("rejects %o naming %s", (options, option) => {
    const error = catchError(() => resolveRetryOptions(options));
    expect(OrchestrateError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "INVALID_ARGUMENT", option });
  });
});

describe("computeRetryDelay", () => {
  it("grows exponentially from initialDelayMs", () => {
    expect([1, 2, 3, 4].map((attempt) => computeRetryDelay(attempt, noJitter, modelError))).toEqual([
      500, 1000, 2000, 4000,
    ]);
  });

  it("caps the delay at maxDelayMs", () => {
    expect(computeRetryDelay(10, noJitter, modelError)).toBe(10_000);
    expect(computeRetryDelay(2000, noJitter, modelError)).toBe(10_000);
  });

  it("applies full jitter between 0 and the computed delay", () => {
    const options = resolveRetryOptions();
    expect(computeRetryDelay(3, options, modelError, () => 0)).toBe(0);
    expect(computeRetryDelay(3, options, modelError, () => 0.5)).toBe(1000);
    expect(computeRetryDelay(3, options, modelError, () => 0.999_999)).toBeLessThan(2000);
  });

  it("lets Retry-After win over the computed delay, jitter and maxDelayMs", () => {
    const rateLimited = new OrchestrateError({ code: "MODEL_ERROR", message: "429", retryAfterMs: 15_000 });
    expect(computeRetryDelay(1, resolveRetryOptions(), rateLimited, () => 0)).toBe(15_000);
    const immediate = new OrchestrateError({ code: "MODEL_ERROR", message: "429", retryAfterMs: 0 });
    expect(computeRetryDelay(4, noJitter, immediate)).toBe(0);
  });

  it("caps Retry-After at maxRetryAfterMs", () => {
    const error = new OrchestrateError({ code: "MODEL_ERROR", message: "429", retryAfterMs: 3_600_000 });
    expect(computeRetryDelay(1, noJitter, error)).toBe(maxRetryAfterMs);
  });
});

describe("shouldRetry", () => {
  const options = resolveRetryOptions({ attempts: 3 });

  it("retries retryable errors while attempts remain", () => {
    expect(shouldRetry(modelError, 1, options)).toBe(true);
    expect(shouldRetry(modelError, 2, options)).toBe(true);
    expect(shouldRetry(modelError, 3, options)).toBe(false);
  });

  it("never retries with attempts: 1", () => {
    expect(shouldRetry(modelError, 1, resolveRetryOptions({ attempts: 1 }))).toBe(false);
  });

  it("does not retry errors that are not retryable", () => {
    const badRequest = new OrchestrateError({ code: "MODEL_ERROR", message: "400", isRetryable: false });
    expect(shouldRetry(badRequest, 1, options)).toBe(false);
    const invalid = new OrchestrateError({ code: "INVALID_ARGUMENT", message: "bad" });
    expect(shouldRetry(invalid, 1, options)).toBe(false);
  });

  it("never retries a cancellation, even one marked retryable", () => {
    const cancelled = new OrchestrateError({ code: "CANCELLED", message: "stop", isRetryable: true });
    expect(shouldRetry(cancelled, 1, options)).toBe(false);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}
