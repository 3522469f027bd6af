import { APICallError } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { describe, expect, it } from "vitest";
import { testRoleContext } from "../testing/test-role-context.js";
import { modelWorker } from "./model-worker.js";
import type { WorkerInput } from "./worker.js";

type StreamPart =
  Awaited<ReturnType<MockLanguageModelV4["doStream"]>>["stream"] extends ReadableStream<infer T> ? T : never;

const usage = {
  inputTokens: { total: 40, noCache: 40, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 9, text: 9, reasoning: 0 },
};
const expectedUsage = { inputTokens: 40, outputTokens: 9, totalTokens: 49 };

const facts = {
  id: "t1",
  type: "research",
  title: "Find facts",
  details: "Find three facts.",
  dependsOn: [],
};
const quotes = {
  id: "t2",
  type: "research",
  title: "Find quotes",
  details: "Find two quotes.",
  dependsOn: [],
};
const write = {
  id: "t3",
  type: "writing",
  title: "Write the post",
  details: "Write 300 words.",
  dependsOn: ["t1", "t2"],
};

function workerInput(signal: AbortSignal): WorkerInput {
  return {
    prompt: "Write a blog post about owls",
    task: write,
    dependencies: [
      { task: facts, output: "Owls can rotate their heads 270 degrees." },
      { task: quotes, output: { quotes: ["Wise as an owl."] } },
    ],
    signal,
    attempt: 1,
  };
}

function streamingModel(deltas: string[], options: { delayMs?: number; error?: unknown } = {}) {
  const parts: StreamPart[] = [
    { type: "text-start", id: "1" },
    ...deltas.map((delta): StreamPart => ({ type: "text-delta", id: "1", delta })),
    ...(options.error === undefined ? [] : [{ type: "error", error: options.error } as StreamPart]),
    { type: "text-end", id: "1" },
    { type: "finish", usage, finishReason: { unified: "stop", raw: undefined } },
  ];
  return new MockLanguageModelV4({
    provider: "acme",
    modelId: "small-1",
    doStream: async () => {
      let index = 0;
      return {
        stream: new ReadableStream<StreamPart>({
          async pull(controller) {
            if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
            const part = parts[index++];
            if (part === undefined) controller.close();
            else controller.enqueue(part);
          },
        }),
      };
    },
  });
}

describe("modelWorker", () => {
  it("streams deltas, returns the text and the mapped usage", async () => {
    const context = testRoleContext();
    const result = await modelWorker(streamingModel(["Owls ", "are ", "great."])).run(
      workerInput(context.signal),
      context,
    );
    expect(context.deltas).toEqual(["Owls ", "are ", "great."]);
    expect(result).toEqual({ output: "Owls are great.", usage: expectedUsage });
  });

  it("uses provider:modelId as its limiter key", () => {
    expect(modelWorker(streamingModel([])).limiterKey).toBe("acme:small-1");
  });

  it("gives the model the prompt, the subtask and the dependency outputs", async () => {
    const model = streamingModel(["ok"]);
    const context = testRoleContext();
    await modelWorker(model).run(workerInput(context.signal), context);
    const call = model.doStreamCalls[0]!;
    expect(call.maxOutputTokens).toBeUndefined();
    const [system, user] = call.prompt;
    expect(system?.content).toContain("Do only your subtask");
    const text = user?.role === "user" && user.content[0]?.type === "text" ? user.content[0].text : "";
    expect(text).toContain("Write a blog post about owls");
    expect(text).toContain('<subtask id="t3" type="writing">');
    expect(text).toContain("Title: Write the post");
    expect(text).toContain("Details: Write 300 words.");
    expect(text).toContain(
      '<output task="t1" title="Find facts">\nOwls can rotate their heads 270 degrees.\n</output>',
    );
    expect(text).toContain(
      '<output task="t2" title="Find quotes">\n{\n  "quotes": [\n    "Wise as an owl."\n  ]\n}',
    );
  });

  it("uses a custom prompt builder and system prompt", async () => {
    const model = streamingModel(["ok"]);
    const context = testRoleContext();
    const worker = modelWorker(model, { system: "Be brief.", prompt: (input) => `Do ${input.task.id}` });
    await worker.run(workerInput(context.signal), context);
    expect(model.doStreamCalls[0]?.prompt).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: [{ type: "text", text: "Do t3" }] },
    ]);
  });

  it("uses generateText when stream is false", async () => {
    const model = new MockLanguageModelV4({
      doGenerate: async () => ({
        content: [{ type: "text", text: "All at once." }],
        finishReason: { unified: "stop", raw: undefined },
        usage,
        warnings: [],
      }),
    });
    const context = testRoleContext();
    const result = await modelWorker(model, { stream: false }).run(workerInput(context.signal), context);
    expect(result).toEqual({ output: "All at once.", usage: expectedUsage });
    expect(context.deltas).toEqual([]);
    expect(model.doStreamCalls).toHaveLength(0);
  });

  it("rethrows an error from the stream unchanged", async () => {
    const streamError = new Error("connection reset");
    const context = testRoleContext();
    const worker = modelWorker(streamingModel(["partial "], { error: streamError }));
    await expect(worker.run(workerInput(context.signal), context)).rejects.toBe(streamError);
  });

  it("makes exactly one call when the provider fails (maxRetries 0)", async () => {
    const apiError = new APICallError({
      message: "Too many requests",
      url: "https://example.invalid",
      requestBodyValues: {},
      statusCode: 429,
      isRetryable: true,
    });
    for (const stream of [true, false]) {
      const model = new MockLanguageModelV4({
        doGenerate: async () => {
          throw apiError;
        },
        doStream: async () => {
          throw apiError;
        },
      });
      const context = testRoleContext();
      await expect(modelWorker(model, { stream }).run(workerInput(context.signal), context)).rejects.toBe(
        apiError,
      );
      expect(model.doGenerateCalls.length + model.doStreamCalls.length).toBe(1);
    }
  });

  it("rejects with the signal's reason when aborted mid-stream", async () => {
    const model = streamingModel(["a", "b", "c", "d", "e", "f", "g", "h"], { delayMs: 10 });
    const context = testRoleContext();
    const reason = new Error("task timed out");
    setTimeout(() => context.controller.abort(reason), 35);
    const started = Date.now();
    await expect(modelWorker(model).run(workerInput(context.signal), context)).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(90);
    expect(context.deltas.length).toBeLessThan(8);
    expect(model.doStreamCalls[0]?.abortSignal?.aborted).toBe(true);
  });
});
