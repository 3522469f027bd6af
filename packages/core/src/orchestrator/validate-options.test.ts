import { describe, expect, it } from "vitest";
import { defaultRetryOptions } from "../run/retry-policy.js";
import { executionDefaults, resolveExecutionOptions } from "./validate-options.js";

describe("resolveExecutionOptions", () => {
  it("applies the built-in defaults when nothing is set", () => {
    expect(resolveExecutionOptions(undefined, undefined)).toEqual({
      ...executionDefaults,
      retry: defaultRetryOptions,
      timeouts: {},
      budget: {},
    });
  });

  it("takes a run's values over the orchestrator's defaults, field by field in nested options", () => {
    const snapshot = resolveExecutionOptions(
      { concurrency: 2, retry: { attempts: 5 }, timeouts: { taskMs: 100 }, budget: {} },
      {
        concurrency: 8,
        maxSubtasks: 3,
        retry: { attempts: 1, initialDelayMs: 7 },
        timeouts: { runMs: 1000 },
        budget: { maxTokens: 50 },
      },
    );
    expect(snapshot).toEqual({
      concurrency: 2,
      maxSubtasks: 3,
      failurePolicy: "settle",
      retry: { ...defaultRetryOptions, attempts: 5, initialDelayMs: 7 },
      timeouts: { taskMs: 100, runMs: 1000 },
      budget: { maxTokens: 50 },
    });
  });

  it("ignores a run's undefined fields, so they keep the defaults", () => {
    const snapshot = resolveExecutionOptions(
      { concurrency: undefined, retry: { attempts: undefined } },
      { concurrency: 3, retry: { attempts: 2 } },
    );
    expect(snapshot.concurrency).toBe(3);
    expect(snapshot.retry.attempts).toBe(2);
  });

  it("names a bad nested object with the prefix", () => {
    expect(() => resolveExecutionOptions(undefined, { timeouts: 5 as never }, "defaults.")).toThrow(
      'Invalid option "defaults.timeouts": expected an object, received number 5.',
    );
  });
});
