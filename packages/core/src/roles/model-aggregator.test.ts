import { convertArrayToReadableStream, MockLanguageModelV4 } from "ai/test";
import { describe, expect, it } from "vitest";
import { testRoleContext } from "../testing/test-role-context.js";
import type { AggregateInput } from "./aggregator.js";
import { modelAggregator } from "./model-aggregator.js";

const usage = {
  inputTokens: { total: 100, noCache: 80, cacheRead: 20, cacheWrite: 0 },
  outputTokens: { total: 25, text: 25, reasoning: 0 },
};
const expectedUsage = { inputTokens: 100, outputTokens: 25, totalTokens: 125 };

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
  details: "Write it.",
  dependsOn: ["t1", "t2"],
};

function aggregateInput(signal: AbortSignal): AggregateInput {
  return {
    prompt: "Write a blog post about owls",
    plan: { analysis: "Two research tasks feed the writing task.", tasks: [facts, quotes, write] },
    results: [
      { task: facts, output: "Owls are nocturnal." },
      { task: quotes, output: ["Wise as an owl."] },
    ],
    failures: [
      { task: write, status: "failed", error: { code: "TIMEOUT", message: "Timed out after 30000 ms." } },
    ],
    signal,
  };
}

function streamingModel(deltas: string[]) {
  return new MockLanguageModelV4({
    doStream: async () => ({
      stream: convertArrayToReadableStream([
        { type: "text-start", id: "1" },
        ...deltas.map((delta) => ({ type: "text-delta" as const, id: "1", delta })),
        { type: "text-end", id: "1" },
        { type: "finish", usage, finishReason: { unified: "stop", raw: undefined } },
      ]),
    }),
  });
}

function userText(model: MockLanguageModelV4, kind: "stream" | "generate"): string {
  const call = kind === "stream" ? model.doStreamCalls[0] : model.doGenerateCalls[0];
  const user = call?.prompt[1];
  return user?.role === "user" && user.content[0]?.type === "text" ? user.content[0].text : "";
}

describe("modelAggregator", () => {
  it("streams deltas and returns the text and mapped usage", async () => {
    const context = testRoleContext();
    const result = await modelAggregator(streamingModel(["Owls ", "hunt ", "at night."])).aggregate(
      aggregateInput(context.signal),
      context,
    );
    expect(context.deltas).toEqual(["Owls ", "hunt ", "at night."]);
    expect(result).toEqual({ output: "Owls hunt at night.", usage: expectedUsage });
  });

  it("gives the model the prompt, the analysis, every result and every failure", async () => {
    const model = streamingModel(["ok"]);
    const context = testRoleContext();
    await modelAggregator(model).aggregate(aggregateInput(context.signal), context);
    expect(model.doStreamCalls[0]?.prompt[0]).toMatchObject({ role: "system" });
    const text = userText(model, "stream");
    expect(text).toContain("Write a blog post about owls");
    expect(text).toContain("Two research tasks feed the writing task.");
    expect(text).toContain('<result task="t1" title="Find facts">\nOwls are nocturnal.\n</result>');
    expect(text).toContain('<result task="t2" title="Find quotes">\n[\n  "Wise as an owl."\n]\n</result>');
    expect(text).toContain('- t3 "Write the post": failed: Timed out after 30000 ms.');
  });

  it("uses generateText and a custom prompt when asked", async () => {
    const model = new MockLanguageModelV4({
      doGenerate: async () => ({
        content: [{ type: "text", text: "Done." }],
        finishReason: { unified: "stop", raw: undefined },
        usage,
        warnings: [],
      }),
    });
    const context = testRoleContext();
    const aggregator = modelAggregator(model, {
      stream: false,
      prompt: (input) => `Combine ${input.results.length} results`,
    });
    const result = await aggregator.aggregate(aggregateInput(context.signal), context);
    expect(result).toEqual({ output: "Done.", usage: expectedUsage });
    expect(userText(model, "generate")).toBe("Combine 2 results");
  });

  it("rejects with the signal's reason when the run is cancelled", async () => {
    const model = new MockLanguageModelV4({
      doStream: ({ abortSignal }) =>
        new Promise((_resolve, reject) =>
          abortSignal?.addEventListener("abort", () => reject(abortSignal.reason)),
        ),
    });
    const context = testRoleContext();
    const reason = new Error("run cancelled");
    const pending = modelAggregator(model).aggregate(aggregateInput(context.signal), context);
    context.controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});
