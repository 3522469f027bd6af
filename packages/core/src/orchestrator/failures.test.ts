import { APICallError } from "ai";
import { describe, expect, it } from "vitest";
import { OrchestrateError } from "../errors/orchestrate-error.js";
import { fixedPlanner, joinAggregator } from "../test-support/roles.js";
import type { RunEvent } from "../types/run-event.js";
import { createOrchestrator } from "./create-orchestrator.js";

const noDelay = { initialDelayMs: 1, maxDelayMs: 5, jitter: false };

function apiError(statusCode: number, headers: Record<string, string> = {}) {
  return new APICallError({
    message: `HTTP ${statusCode}`,
    url: "https://example.invalid/v1/chat",
    requestBodyValues: {},
    statusCode,
    responseHeaders: headers,
  });
}

const plan = fixedPlanner([
  { id: "a", details: "A" },
  { id: "bad", details: "B" },
  { id: "child", details: "C", dependsOn: ["bad"] },
  { id: "grandchild", details: "D", dependsOn: ["child"] },
]);

describe("failure policies", () => {
  it('"settle": dependents are skipped with the reason, and the aggregator gets successes and failures', async () => {
    let seen: { results: string[]; failures: string[] } | undefined;
    const orchestrator = createOrchestrator({
      orchestrator: plan,
      worker: (input) => {
        if (input.task.id === "bad")
          throw new OrchestrateError({ code: "TASK_FAILED", message: "boom", isRetryable: false });
        return input.task.id;
      },
      aggregator: {
        aggregate: async (input) => {
          seen = {
            results: input.results.map((result) => result.task.id),
            failures: input.failures.map((failure) => `${failure.task.id}:${failure.status}`),
          };
          return { output: "partial" };
        },
      },
    });
    const result = await orchestrator.run("go");
    expect(result.status).toBe("completed");
    expect(seen).toEqual({ results: ["a"], failures: ["bad:failed", "child:skipped", "grandchild:skipped"] });
    const child = result.tasks.find((task) => task.id === "child")!;
    expect(child.error?.message).toContain('subtask "bad", which it depends on, did not complete');
  });

  it('"settle": the run fails with TASK_FAILED when no subtask completed', async () => {
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner(["only"]),
      worker: () => {
        throw new OrchestrateError({ code: "TASK_FAILED", message: "nope", isRetryable: false });
      },
      aggregator: joinAggregator,
    });
    const result = await orchestrator.run("go");
    expect(result.status).toBe("failed");
    expect(result.error?.code).toBe("TASK_FAILED");
    expect(result.error?.message).toContain('"t1": nope');
  });

  it('"fail-fast": aborts siblings in flight and fails the run without aggregating', async () => {
    let siblingAborted = false;
    let aggregated = false;
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner([
        { id: "slow", details: "x" },
        { id: "bad", details: "y" },
      ]),
      worker: (input) =>
        new Promise((resolve, reject) => {
          if (input.task.id === "bad") {
            setTimeout(
              () =>
                reject(new OrchestrateError({ code: "TASK_FAILED", message: "broke", isRetryable: false })),
              5,
            );
            return;
          }
          input.signal.addEventListener("abort", () => {
            siblingAborted = true;
            reject(input.signal.reason);
          });
          setTimeout(() => resolve("late"), 2000);
        }),
      aggregator: {
        aggregate: async () => {
          aggregated = true;
          return { output: "" };
        },
      },
    });
    const started = performance.now();
    const result = await orchestrator.run("go", { failurePolicy: "fail-fast" });
    expect(performance.now() - started).toBeLessThan(500);
    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({ code: "TASK_FAILED", taskId: "bad" });
    expect(siblingAborted).toBe(true);
    expect(aggregated).toBe(false);
    expect(result.tasks.find((task) => task.id === "slow")!.status).toBe("cancelled");
  });
});

describe("retries", () => {
  it("retries transient errors with backoff and succeeds, recording task-retry events", async () => {
    let calls = 0;
    const events: RunEvent[] = [];
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner(["x"]),
      worker: () => {
        calls++;
        if (calls < 3) throw apiError(503);
        return "ok";
      },
      aggregator: joinAggregator,
    });
    const result = await orchestrator.run("go", {
      retry: { ...noDelay, attempts: 3 },
      onEvent: (event) => events.push(event),
    });
    expect(result.status).toBe("completed");
    expect(calls).toBe(3);
    expect(events.filter((event) => event.type === "task-retry").map((event) => event.attempt)).toEqual([
      1, 2,
    ]);
    expect(result.tasks[0]!.attempts).toBe(3);
  });

  it("honours Retry-After over the computed backoff", async () => {
    let calls = 0;
    const events: RunEvent[] = [];
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner(["x"]),
      worker: () => {
        calls++;
        if (calls === 1) throw apiError(429, { "retry-after": "0.12" });
        return "ok";
      },
      aggregator: joinAggregator,
    });
    const started = performance.now();
    await orchestrator.run("go", {
      retry: { ...noDelay, attempts: 2 },
      onEvent: (event) => events.push(event),
    });
    const retry = events.find((event) => event.type === "task-retry");
    expect(retry?.type === "task-retry" && retry.delayMs).toBe(120);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it("never retries a 400, and reports MODEL_ERROR with the status", async () => {
    let calls = 0;
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner(["x", "y"]),
      worker: (input) => {
        if (input.task.id === "t1") {
          calls++;
          throw apiError(400);
        }
        return "fine";
      },
      aggregator: joinAggregator,
    });
    const result = await orchestrator.run("go", { retry: { ...noDelay, attempts: 5 } });
    expect(calls).toBe(1);
    expect(result.tasks[0]).toMatchObject({ status: "failed", attempts: 1, error: { code: "MODEL_ERROR" } });
    expect(result.status).toBe("completed");
  });

  it("gives up after the configured attempts", async () => {
    let calls = 0;
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner(["x", "y"]),
      worker: (input) => {
        if (input.task.id === "t2") return "fine";
        calls++;
        throw apiError(500);
      },
      aggregator: joinAggregator,
    });
    const result = await orchestrator.run("go", { retry: { ...noDelay, attempts: 4 } });
    expect(calls).toBe(4);
    expect(result.tasks[0]!.status).toBe("failed");
  });

  it("retries a transient planner failure and a transient aggregator failure", async () => {
    let planCalls = 0;
    let aggregateCalls = 0;
    const orchestrator = createOrchestrator({
      orchestrator: {
        plan: () => {
          planCalls++;
          if (planCalls === 1) throw apiError(502);
          return { tasks: ["x"] };
        },
      },
      worker: () => "ok",
      aggregator: {
        aggregate: async () => {
          aggregateCalls++;
          if (aggregateCalls === 1) throw apiError(429);
          return { output: "done" };
        },
      },
    });
    const result = await orchestrator.run("go", { retry: noDelay });
    expect(result).toMatchObject({ status: "completed", output: "done" });
    expect([planCalls, aggregateCalls]).toEqual([2, 2]);
  });

  it("retries and classifies an aggregator that throws before returning a promise", async () => {
    let aggregateCalls = 0;
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner(["x"]),
      worker: () => "ok",
      aggregator: {
        // Not async: the first call throws synchronously.
        aggregate: (() => {
          aggregateCalls++;
          if (aggregateCalls === 1) throw apiError(503);
          return Promise.resolve({ output: "done" });
        }) as never,
      },
    });
    const result = await orchestrator.run("go", { retry: noDelay });
    expect(result).toMatchObject({ status: "completed", output: "done" });
    expect(aggregateCalls).toBe(2);

    const failing = createOrchestrator({
      orchestrator: fixedPlanner(["x"]),
      worker: () => "ok",
      aggregator: {
        aggregate: (() => {
          throw apiError(400);
        }) as never,
      },
    });
    const failed = await failing.run("go", { retry: noDelay });
    expect(failed).toMatchObject({ status: "failed", error: { code: "MODEL_ERROR" } });
  });
});

describe("plan validation in a run", () => {
  it("asks the planner once more with the precise error, then runs the corrected plan", async () => {
    const feedback: Array<string | undefined> = [];
    const orchestrator = createOrchestrator({
      orchestrator: {
        plan: (input) => {
          feedback.push(input.feedback);
          return input.attempt === 1
            ? { tasks: [{ id: "a", details: "x", dependsOn: ["ghost"] }] }
            : { tasks: [{ id: "a", details: "x" }] };
        },
      },
      worker: () => "ok",
      aggregator: joinAggregator,
    });
    const result = await orchestrator.run("go");
    expect(result.status).toBe("completed");
    expect(feedback).toEqual([
      undefined,
      'Invalid plan: subtask "a" depends on "ghost", which is not in the plan.',
    ]);
  });

  it("fails the run with PLAN_INVALID naming the problem when the second plan is invalid too", async () => {
    const orchestrator = createOrchestrator({
      orchestrator: fixedPlanner([
        { id: "a", details: "x", dependsOn: ["b"] },
        { id: "b", details: "y", dependsOn: ["a"] },
      ]),
      worker: () => "ok",
      aggregator: joinAggregator,
    });
    const result = await orchestrator.run("go");
    expect(result.status).toBe("failed");
    expect(result.error).toEqual({
      code: "PLAN_INVALID",
      message: 'Invalid plan: the dependencies form a cycle: "a" -> "b" -> "a".',
    });
  });

  it("reuses a completed subtask of a discarded streamed plan when the new plan has the same task", async () => {
    const executions: string[] = [];
    const orchestrator = createOrchestrator({
      orchestrator: {
        async *plan(input) {
          yield { id: "a", details: "x" };
          await new Promise((resolve) => setTimeout(resolve, 20));
          yield input.attempt === 1
            ? { id: "a", details: "duplicate" }
            : { id: "b", details: "y", dependsOn: ["a"] };
        },
      },
      worker: (input) => {
        executions.push(input.task.id);
        return input.task.id;
      },
      aggregator: joinAggregator,
    });
    const result = await orchestrator.run("go");
    expect(result.status).toBe("completed");
    expect(executions).toEqual(["a", "b"]);
    expect(result.output).toBe("a|b");
  });

  it("discards tasks a streamed invalid plan already started", async () => {
    const orchestrator = createOrchestrator({
      orchestrator: {
        async *plan(input) {
          yield { id: "a", details: "x" };
          await new Promise((resolve) => setTimeout(resolve, 10));
          if (input.attempt === 1) yield { id: "a", details: "duplicate" };
          else yield { id: "b", details: "y" };
        },
      },
      worker: (input) => new Promise((resolve) => setTimeout(() => resolve(`${input.task.id}`), 20)),
      aggregator: joinAggregator,
    });
    const result = await orchestrator.run("go");
    expect(result.status).toBe("completed");
    expect(result.tasks.map((task) => task.id)).toEqual(["a", "b"]);
    expect(result.output).toBe("a|b");
  });
});
