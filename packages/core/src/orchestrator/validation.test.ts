import { MockLanguageModelV4 } from "ai/test";
import { describe, expect, expectTypeOf, it } from "vitest";
import { OrchestrateError } from "../errors/orchestrate-error.js";
import { fixedPlanner, joinAggregator } from "../test-support/roles.js";
import type { RunResult } from "../types/run-view.js";
import { createOrchestrator } from "./create-orchestrator.js";
import { orchestrate } from "./orchestrate.js";

const roles = { orchestrator: fixedPlanner(["x"]), worker: () => "ok", aggregator: joinAggregator };

async function invalid(run: () => unknown): Promise<OrchestrateError> {
  try {
    await run();
  } catch (error) {
    if (OrchestrateError.isInstance(error) && error.code === "INVALID_ARGUMENT") return error;
    throw error;
  }
  throw new Error("expected INVALID_ARGUMENT");
}

describe("option validation", () => {
  it("rejects options that are not an object, naming them", async () => {
    const run = orchestrate(null as never);
    const error = await invalid(() => run);
    expect(error.option).toBe("options");
    expect(error.message).toContain("expected an object, received null");
  });

  it.each([
    ["prompt", { prompt: "" }, 'Invalid option "prompt": expected a non-empty string, received string "".'],
    ["prompt", { prompt: 42 }, "received number 42"],
    [
      "concurrency",
      { concurrency: 0 },
      'Invalid option "concurrency": expected a positive integer or Infinity, received number 0.',
    ],
    ["concurrency", { concurrency: 2.5 }, "received number 2.5"],
    ["maxSubtasks", { maxSubtasks: 0 }, "expected an integer from 1 to 10000, received number 0"],
    ["failurePolicy", { failurePolicy: "yolo" }, 'expected "settle" or "fail-fast", received string "yolo"'],
    ["retry.attempts", { retry: { attempts: 0 } }, "expected an integer >= 1, received number 0"],
    ["retry.initialDelayMs", { retry: { initialDelayMs: -1 } }, "a finite number of milliseconds >= 0"],
    ["retry.factor", { retry: { factor: 0.5 } }, "expected a finite number >= 1"],
    [
      "timeouts.taskMs",
      { timeouts: { taskMs: -5 } },
      "expected a positive number of milliseconds, received number -5",
    ],
    ["timeouts", { timeouts: 5 }, "expected an object, received number 5"],
    ["budget.maxTokens", { budget: { maxTokens: "lots" } }, 'received string "lots"'],
    ["signal", { signal: {} }, "expected an AbortSignal, received an object"],
    ["onEvent", { onEvent: "log" }, "expected a function"],
    ["runId", { runId: "has space" }, 'received string "has space"'],
    ["tenant", { tenant: "" }, "expected a string of 1-256 characters"],
    ["metadata", { metadata: [1] }, "expected a plain JSON object, received an array of length 1"],
  ])("rejects a bad %s naming it", async (option, overrides, message) => {
    const error = await invalid(() =>
      orchestrate({ prompt: "go", ...roles, ...(overrides as object) } as never),
    );
    expect(error.option).toBe(option);
    expect(error.message).toContain(message);
  });

  it.each([
    [
      "orchestrator",
      { orchestrator: undefined },
      "expected a LanguageModel instance or an object with a plan() method, received undefined",
    ],
    [
      "orchestrator",
      { orchestrator: "gpt-5" },
      'Model id strings are not accepted because they route to a network gateway; pass a provider model such as openai("gpt-5")',
    ],
    ["worker", { worker: 7 }, "received number 7"],
    ["worker.code", { worker: { code: "fast" } }, 'received string "fast"'],
    ["worker", { worker: {} }, "at least one worker in the map"],
    ["aggregator", { aggregator: undefined }, 'it is required when "orchestrator" is not a LanguageModel'],
    ["aggregator", { aggregator: { combine() {} } }, "an object with an aggregate() method"],
    ["store", { store: {} }, "a RunStore"],
    ["limiter", { limiter: 5 }, "a Limiter"],
    ["leaseMs", { leaseMs: 0 }, ">= 10"],
    ["defaults.concurrency", { defaults: { concurrency: -1 } }, "received number -1"],
  ])("createOrchestrator rejects a bad %s naming it", async (option, overrides, message) => {
    const error = await invalid(() => createOrchestrator({ ...roles, ...(overrides as object) } as never));
    expect(error.option).toBe(option);
    expect(error.message).toContain(message);
  });

  it("validates before creating a run, so nothing is stored for bad input", async () => {
    const orchestrator = createOrchestrator(roles);
    await expect(orchestrator.run("go", { concurrency: -1 })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    expect((await orchestrator.list()).runs).toEqual([]);
  });

  it("rejects unknown run ids and bad list options precisely", async () => {
    const orchestrator = createOrchestrator(roles);
    await expect(orchestrator.resume("nope")).rejects.toMatchObject({ code: "RUN_NOT_FOUND" });
    await expect(orchestrator.cancel("nope")).rejects.toMatchObject({ code: "RUN_NOT_FOUND" });
    expect(await orchestrator.get("nope")).toBeUndefined();
    await expect(orchestrator.list({ limit: 1000 })).rejects.toMatchObject({ option: "limit" });
    await expect(orchestrator.list({ cursor: "%%%" })).rejects.toMatchObject({ option: "cursor" });
  });
});

describe("public types", () => {
  it("infers the output type from the aggregator, and string for a model aggregator", () => {
    const typed = createOrchestrator({
      orchestrator: fixedPlanner(["x"]),
      worker: () => 1,
      aggregator: { aggregate: async () => ({ output: { answer: 42 } }) },
    });
    expectTypeOf(typed.run).returns.resolves.toEqualTypeOf<RunResult<{ answer: number }>>();
    const model = new MockLanguageModelV4();
    const byModel = createOrchestrator({
      orchestrator: model,
      worker: { code: model, docs: () => "d", default: model },
    });
    expectTypeOf(byModel.run).returns.resolves.toEqualTypeOf<RunResult<string>>();
    expectTypeOf(orchestrate).parameter(0).toHaveProperty("concurrency").toEqualTypeOf<number | undefined>();
    expectTypeOf<RunResult["status"]>().toEqualTypeOf<
      "queued" | "running" | "completed" | "failed" | "cancelled"
    >();
  });
});
