import { generateText, Output, streamText } from "ai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type ScriptedRequest, scriptedModel } from "./scripted-model.js";

describe("scriptedModel", () => {
  it("answers generateText with the text of respond(request)", async () => {
    const requests: ScriptedRequest[] = [];
    const model = scriptedModel({
      respond: (request) => {
        requests.push(request);
        return `echo: ${request.prompt}`;
      },
    });
    const result = await generateText({ model, system: "Be kind.", prompt: "hello", maxRetries: 0 });
    expect(result.text).toBe("echo: hello");
    expect(requests).toEqual([{ system: "Be kind.", prompt: "hello", role: "worker", callIndex: 0 }]);
    expect(model.provider).toBe("scripted");
    expect(model.modelId).toBe("scripted-model");
  });

  it("streams the response in chunks of chunkSize", async () => {
    const model = scriptedModel({ respond: () => "abcdefghij", chunkSize: 4 });
    const result = streamText({ model, prompt: "hi", maxRetries: 0 });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas).toEqual(["abcd", "efgh", "ij"]);
  });

  it("sends object responses as JSON for structured output, streamed or not", async () => {
    const schema = z.object({ name: z.string(), tags: z.array(z.string()) });
    const value = { name: "owl", tags: ["bird", "nocturnal"] };
    const roles: string[] = [];
    const model = scriptedModel({
      chunkSize: 5,
      respond: (request) => {
        roles.push(request.role);
        return value;
      },
    });
    const generated = await generateText({
      model,
      prompt: "x",
      output: Output.object({ schema }),
      maxRetries: 0,
    });
    expect(generated.output).toEqual(value);
    const streamed = streamText({ model, prompt: "x", output: Output.object({ schema }), maxRetries: 0 });
    const partials: unknown[] = [];
    for await (const partial of streamed.partialOutputStream) partials.push(partial);
    expect(partials.length).toBeGreaterThan(2);
    expect(await streamed.output).toEqual(value);
    expect(roles).toEqual(["planner", "planner"]);
  });

  it("detects the aggregator from the default aggregator prompt", async () => {
    const roles: string[] = [];
    const model = scriptedModel({
      respond: (request) => {
        roles.push(request.role);
        return "ok";
      },
    });
    await generateText({
      model,
      prompt: "<subtask-results>\n(none completed)\n</subtask-results>",
      maxRetries: 0,
    });
    expect(roles).toEqual(["aggregator"]);
  });

  it("reports fixed usage, or estimates it from the text", async () => {
    const fixed = scriptedModel({ respond: () => "ok", usage: { inputTokens: 7, outputTokens: 3 } });
    const fixedResult = streamText({ model: fixed, prompt: "hi", maxRetries: 0 });
    expect(await fixedResult.usage).toMatchObject({ inputTokens: 7, outputTokens: 3, totalTokens: 10 });
    const estimated = scriptedModel({ respond: () => "12345678" });
    const estimatedResult = await generateText({ model: estimated, prompt: "1234", maxRetries: 0 });
    expect(estimatedResult.usage).toMatchObject({ inputTokens: 1, outputTokens: 2, totalTokens: 3 });
  });

  it("fails the calls fail() chooses, counting from 0", async () => {
    const model = scriptedModel({
      respond: () => "ok",
      fail: (callIndex) => (callIndex === 0 ? new Error("first call fails") : undefined),
    });
    await expect(generateText({ model, prompt: "hi", maxRetries: 0 })).rejects.toThrow("first call fails");
    expect((await generateText({ model, prompt: "hi", maxRetries: 0 })).text).toBe("ok");
  });

  it("simulates latency and stops waiting when the call is aborted", async () => {
    const model = scriptedModel({ respond: () => "slow", latencyMs: 5_000 });
    const controller = new AbortController();
    const reason = new Error("stop");
    setTimeout(() => controller.abort(reason), 20);
    const started = Date.now();
    await expect(
      generateText({ model, prompt: "hi", maxRetries: 0, abortSignal: controller.signal }),
    ).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("spreads latency over streamed chunks", async () => {
    const model = scriptedModel({
      respond: () => "abcdef",
      chunkSize: 2,
      latencyMs: (request) => (request.prompt === "slow" ? 60 : 0),
    });
    const arrivals: number[] = [];
    const started = Date.now();
    for await (const _delta of streamText({ model, prompt: "slow", maxRetries: 0 }).textStream) {
      arrivals.push(Date.now() - started);
    }
    expect(arrivals).toHaveLength(3);
    expect(arrivals[0]).toBeGreaterThanOrEqual(15);
    expect(arrivals[2]).toBeGreaterThanOrEqual(55);
  });
});
