import { APICallError } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { describe, expect, it } from "vitest";
import { OrchestrateError } from "../errors/orchestrate-error.js";
import { testRoleContext } from "../testing/test-role-context.js";
import { modelPlanner } from "./model-planner.js";
import type { PlanInput, PlannedTask, PlanResult, PlanSummary } from "./planner.js";

type StreamPart =
  Awaited<ReturnType<MockLanguageModelV4["doStream"]>>["stream"] extends ReadableStream<infer T> ? T : never;

const usage = {
  inputTokens: { total: 30, noCache: 30, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 20, text: 20, reasoning: 0 },
};
const expectedUsage = { inputTokens: 30, outputTokens: 20, totalTokens: 50 };

const plan = {
  analysis: "Research first, then write.",
  tasks: [
    { id: "t1", type: "research", title: "Find facts", details: "Find three facts.", dependsOn: [] },
    { id: "t2", type: "research", title: "Find quotes", details: "Find two quotes.", dependsOn: [] },
    { id: "t3", type: "writing", title: "Write", details: "Write the post.", dependsOn: ["t1", "t2"] },
  ],
};

const input: PlanInput = {
  prompt: "Write a blog post about owls",
  maxSubtasks: 5,
  taskTypes: ["research", "writing"],
  attempt: 1,
};

/** A model that streams `text` in chunks of `chunkSize`, waiting `delayMs` before each part; counts parts sent. */
function streamingModel(text: string, options: { chunkSize?: number; delayMs?: number } = {}) {
  const chunkSize = options.chunkSize ?? 10;
  const deltas: StreamPart[] = [];
  for (let index = 0; index < text.length; index += chunkSize) {
    deltas.push({ type: "text-delta", id: "1", delta: text.slice(index, index + chunkSize) });
  }
  const parts: StreamPart[] = [
    { type: "text-start", id: "1" },
    ...deltas,
    { type: "text-end", id: "1" },
    { type: "finish", usage, finishReason: { unified: "stop", raw: undefined } },
  ];
  const progress = { sent: 0, total: parts.length };
  const model = new MockLanguageModelV4({
    doStream: async () => ({
      stream: new ReadableStream<StreamPart>({
        async pull(controller) {
          if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
          const part = parts[progress.sent];
          if (part === undefined) return controller.close();
          progress.sent++;
          controller.enqueue(part);
        },
      }),
    }),
  });
  return { model, progress };
}

function generatingModel(text: string) {
  return new MockLanguageModelV4({
    doGenerate: async () => ({
      content: [{ type: "text", text }],
      finishReason: { unified: "stop", raw: undefined },
      usage,
      warnings: [],
    }),
  });
}

async function drain(
  generator: AsyncGenerator<PlannedTask, PlanSummary>,
): Promise<{ tasks: PlannedTask[]; summary: PlanSummary }> {
  const tasks: PlannedTask[] = [];
  for (;;) {
    const next = await generator.next();
    if (next.done) return { tasks, summary: next.value };
    tasks.push(next.value);
  }
}

function streamPlan(
  planner: ReturnType<typeof modelPlanner>,
  planInput = input,
  context = testRoleContext(),
) {
  return planner.plan(planInput, context) as AsyncGenerator<PlannedTask, PlanSummary>;
}

async function planInvalid(promise: Promise<unknown>): Promise<OrchestrateError> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(OrchestrateError.isInstance(error)).toBe(true);
  expect((error as OrchestrateError).code).toBe("PLAN_INVALID");
  return error as OrchestrateError;
}

describe("modelPlanner, streaming", () => {
  it("yields every task and returns the analysis and usage", async () => {
    const { model } = streamingModel(JSON.stringify(plan));
    const { tasks, summary } = await drain(streamPlan(modelPlanner(model)));
    expect(tasks).toEqual(plan.tasks);
    expect(summary).toEqual({ analysis: plan.analysis, usage: expectedUsage });
  });

  it("yields the first task before the model has sent its last chunk", async () => {
    const { model, progress } = streamingModel(JSON.stringify(plan), { chunkSize: 8, delayMs: 2 });
    const generator = streamPlan(modelPlanner(model));
    const first = await generator.next();
    expect(first.value).toEqual(plan.tasks[0]);
    // The first task ends well before the middle of the text: it must not wait for the rest of the stream.
    expect(progress.sent).toBeLessThan(progress.total / 2);
    await drain(generator);
    expect(progress.sent).toBe(progress.total);
  });

  it("tells the model the prompt, the cap, the allowed types, the feedback and asks for JSON", async () => {
    const { model } = streamingModel(JSON.stringify(plan));
    await drain(
      streamPlan(modelPlanner(model), {
        ...input,
        attempt: 2,
        feedback: "Task t4 depends on t9, which does not exist.",
      }),
    );
    const call = model.doStreamCalls[0]!;
    expect(call.responseFormat?.type).toBe("json");
    const [system, user] = call.prompt;
    expect(system?.role).toBe("system");
    expect(system?.content).toContain("orchestrator");
    const text = JSON.stringify(user);
    expect(text).toContain("Write a blog post about owls");
    expect(text).toContain("At most 5 subtasks");
    expect(text).toContain('Allowed task types: \\"research\\", \\"writing\\"');
    expect(text).toContain("Task t4 depends on t9, which does not exist.");
  });

  it("replaces the system prompt and passes temperature and provider options", async () => {
    const { model } = streamingModel(JSON.stringify(plan));
    const planner = modelPlanner(model, {
      system: "Plan tersely.",
      temperature: 0.2,
      providerOptions: { mock: { mode: "fast" } },
    });
    await drain(streamPlan(planner));
    const call = model.doStreamCalls[0]!;
    expect(call.prompt[0]).toEqual({ role: "system", content: "Plan tersely." });
    expect(call.temperature).toBe(0.2);
    expect(call.providerOptions).toEqual({ mock: { mode: "fast" } });
  });

  it("throws PLAN_INVALID naming the field when a task fails validation, before the stream ends", async () => {
    const broken = { ...plan, tasks: [{ ...plan.tasks[0], dependsOn: "t2" }, ...plan.tasks.slice(1)] };
    const { model, progress } = streamingModel(JSON.stringify(broken), { chunkSize: 8, delayMs: 1 });
    const error = await planInvalid(drain(streamPlan(modelPlanner(model))));
    expect(error.message).toContain("tasks[0].dependsOn");
    expect(error.message).toContain("expected array, received string");
    expect(progress.sent).toBeLessThan(progress.total);
  });

  it("throws PLAN_INVALID with the parse error when the output is not JSON, and reports the usage", async () => {
    const { model } = streamingModel("Sure! Here is my plan: first research, then write.");
    const context = testRoleContext();
    const error = await planInvalid(drain(streamPlan(modelPlanner(model), input, context)));
    expect(error.message).toMatch(
      /^The plan is not valid JSON \(.+\)\. Answer with the JSON object only\. Received: "Sure!/,
    );
    expect(error.cause).toBeDefined();
    expect(context.reportedUsage).toEqual([expectedUsage]);
  });

  it("throws PLAN_INVALID when the last task is incomplete", async () => {
    const text = JSON.stringify({
      ...plan,
      tasks: [...plan.tasks.slice(0, 2), { id: "t3", title: "Write" }],
    });
    const { model } = streamingModel(text);
    const error = await planInvalid(drain(streamPlan(modelPlanner(model))));
    expect(error.message).toContain("tasks[2].type");
    expect(error.message).toContain("tasks[2].details");
  });

  it("recovers a plan wrapped in a Markdown code fence", async () => {
    const { model } = streamingModel(`\`\`\`json\n${JSON.stringify(plan)}\n\`\`\``);
    const { tasks, summary } = await drain(streamPlan(modelPlanner(model)));
    expect(tasks).toEqual(plan.tasks);
    expect(summary?.analysis).toBe(plan.analysis);
  });

  it("rethrows provider errors unchanged and calls the model once", async () => {
    const apiError = new APICallError({
      message: "Too many requests",
      url: "https://example.invalid",
      requestBodyValues: {},
      statusCode: 429,
      isRetryable: true,
    });
    const model = new MockLanguageModelV4({
      doStream: async () => {
        throw apiError;
      },
    });
    await expect(drain(streamPlan(modelPlanner(model)))).rejects.toBe(apiError);
    expect(model.doStreamCalls).toHaveLength(1);
  });

  it("rejects with the signal's reason when aborted mid-stream", async () => {
    const { model, progress } = streamingModel(JSON.stringify(plan), { chunkSize: 4, delayMs: 5 });
    const context = testRoleContext();
    const reason = new Error("cancelled by the test");
    const generator = streamPlan(modelPlanner(model), input, context);
    await generator.next();
    context.controller.abort(reason);
    await expect(drain(generator)).rejects.toBe(reason);
    expect(progress.sent).toBeLessThan(progress.total);
    expect(model.doStreamCalls[0]?.abortSignal?.aborted).toBe(true);
  });

  it("stops the model call when the consumer stops iterating", async () => {
    const { model } = streamingModel(JSON.stringify(plan), { chunkSize: 4, delayMs: 2 });
    const generator = streamPlan(modelPlanner(model));
    await generator.next();
    await generator.return({});
    expect(model.doStreamCalls[0]?.abortSignal?.aborted).toBe(true);
  });
});

describe("modelPlanner, not streaming", () => {
  it("returns the analysis, tasks and usage", async () => {
    const model = generatingModel(JSON.stringify(plan));
    const result = (await modelPlanner(model, { stream: false }).plan(
      input,
      testRoleContext(),
    )) as PlanResult;
    expect(result).toEqual({ analysis: plan.analysis, tasks: plan.tasks, usage: expectedUsage });
    expect(model.doGenerateCalls[0]?.responseFormat?.type).toBe("json");
    expect(model.doStreamCalls).toHaveLength(0);
  });

  it("throws PLAN_INVALID naming the field on a schema mismatch", async () => {
    const model = generatingModel(JSON.stringify({ analysis: 7, tasks: plan.tasks }));
    const error = await planInvalid(
      Promise.resolve(modelPlanner(model, { stream: false }).plan(input, testRoleContext())),
    );
    expect(error.message).toBe(
      "The plan does not match the schema: analysis: Invalid input: expected string, received number.",
    );
  });

  it("throws PLAN_INVALID on output that is not JSON", async () => {
    const model = generatingModel('{"analysis": "cut off", "tasks": [');
    const error = await planInvalid(
      Promise.resolve(modelPlanner(model, { stream: false }).plan(input, testRoleContext())),
    );
    expect(error.message).toContain("The plan is not valid JSON");
  });

  it("makes exactly one call when the provider fails (maxRetries 0)", async () => {
    const apiError = new APICallError({
      message: "Service unavailable",
      url: "https://example.invalid",
      requestBodyValues: {},
      statusCode: 503,
      isRetryable: true,
    });
    const model = new MockLanguageModelV4({
      doGenerate: async () => {
        throw apiError;
      },
    });
    await expect(
      Promise.resolve(modelPlanner(model, { stream: false }).plan(input, testRoleContext())),
    ).rejects.toBe(apiError);
    expect(model.doGenerateCalls).toHaveLength(1);
  });
});
