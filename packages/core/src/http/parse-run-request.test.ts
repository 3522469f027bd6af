import { describe, expect, it } from "vitest";
import { OrchestrateError } from "../errors/orchestrate-error.js";
import { resolveFetchHandlerOptions } from "./fetch-handler-options.js";
import { parseRunRequest } from "./parse-run-request.js";

const settings = resolveFetchHandlerOptions({
  maxPromptChars: 20,
  limits: { concurrency: 3, maxSubtasks: 5 },
});

function errorOf(body: unknown, using = settings): OrchestrateError {
  try {
    parseRunRequest(body, using);
  } catch (error) {
    if (OrchestrateError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected parseRunRequest to throw");
}

describe("parseRunRequest", () => {
  it("accepts the original body and ignores unknown top-level fields", () => {
    expect(parseRunRequest({ prompt: "hello", model: "x" }, settings)).toEqual({
      prompt: "hello",
      options: {},
    });
  });

  it("accepts every client option within the caps", () => {
    const options = {
      concurrency: 3,
      maxSubtasks: 5,
      failurePolicy: "fail-fast",
      budget: { maxTokens: 1000 },
      timeouts: { taskMs: 1000, runMs: 5000 },
      metadata: { user: "u1", tags: ["a"] },
    };
    expect(parseRunRequest({ prompt: "hello", options }, settings)).toEqual({ prompt: "hello", options });
  });

  it.each([
    [{}, "prompt"],
    [{ prompt: 42 }, "prompt"],
    [{ prompt: "   " }, "prompt"],
    [{ prompt: "x".repeat(21) }, "prompt"],
    [[], "body"],
    [null, "body"],
    ["prompt", "body"],
    [{ prompt: "p", options: [] }, "options"],
    [{ prompt: "p", options: { concurrency: 4 } }, "options.concurrency"],
    [{ prompt: "p", options: { concurrency: 1.5 } }, "options.concurrency"],
    [{ prompt: "p", options: { concurrency: "2" } }, "options.concurrency"],
    [{ prompt: "p", options: { maxSubtasks: 6 } }, "options.maxSubtasks"],
    [{ prompt: "p", options: { failurePolicy: "yolo" } }, "options.failurePolicy"],
    [{ prompt: "p", options: { budget: 5 } }, "options.budget"],
    [{ prompt: "p", options: { budget: { tokens: 5 } } }, "options.budget.tokens"],
    [{ prompt: "p", options: { timeouts: { taskMs: -1 } } }, "options.timeouts.taskMs"],
    [{ prompt: "p", options: { metadata: "x" } }, "options.metadata"],
    [{ prompt: "p", options: { retry: { attempts: 100 } } }, "options.retry"],
    [{ prompt: "p", options: { runId: "mine" } }, "options.runId"],
    [{ prompt: "p", options: JSON.parse('{"__proto__": {"x": 1}}') }, "options.__proto__"],
  ])("rejects %j naming %s", (body, option) => {
    const error = errorOf(body);
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.option).toBe(option);
    expect(error.message).toContain(option === "body" ? "object" : option);
  });

  it("names the server's cap when a client asks for more", () => {
    expect(errorOf({ prompt: "p", options: { concurrency: 10 } }).message).toBe(
      'Invalid option "options.concurrency": expected an integer from 1 to 3 (this server\'s cap), received number 10.',
    );
  });

  it("rejects options outside the allowlist", () => {
    const strict = resolveFetchHandlerOptions({ clientOptions: ["concurrency"] });
    const error = errorOf({ prompt: "p", options: { metadata: {} } }, strict);
    expect(error.option).toBe("options.metadata");
    expect(error.message).toContain("this server accepts concurrency");
  });

  it("rejects deep and large metadata without recursing", () => {
    let deep: unknown = {};
    for (let index = 0; index < 10_000; index++) deep = { nested: deep };
    expect(errorOf({ prompt: "p", options: { metadata: deep } }).message).toContain("levels of nesting");
    expect(errorOf({ prompt: "p", options: { metadata: { big: "x".repeat(20_000) } } }).message).toContain(
      "bytes of JSON",
    );
  });
});
