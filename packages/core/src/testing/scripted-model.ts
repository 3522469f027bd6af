import { MockLanguageModelV4 } from "ai/test";
import { sleep } from "../run/sleep.js";

type CallOptions = Parameters<MockLanguageModelV4["doGenerate"]>[0];
type GenerateResult = Awaited<ReturnType<MockLanguageModelV4["doGenerate"]>>;
type StreamResult = Awaited<ReturnType<MockLanguageModelV4["doStream"]>>;
type StreamPart = StreamResult["stream"] extends ReadableStream<infer TPart> ? TPart : never;

/**
 * Which role a call to a scripted model comes from: `"planner"` when the call asks for JSON output (structured
 * output), `"aggregator"` when the prompt carries the default aggregator prompt's `<subtask-results>` section,
 * `"worker"` otherwise.
 */
export type ScriptedRole = "planner" | "worker" | "aggregator";

/** One call to a scripted model, as its `respond` function sees it. */
export interface ScriptedRequest {
  /** The system prompt, when the call has one. */
  system?: string;
  /** The text of every non-system message, joined by blank lines. */
  prompt: string;
  /** The role the call comes from; see {@link ScriptedRole}. */
  role: ScriptedRole;
  /** How many calls this model received before this one (0 for the first). */
  callIndex: number;
}

/** Options for {@link scriptedModel}. */
export interface ScriptedModelOptions {
  /** The response to a call: text, or an object that is sent as its JSON text (for structured output). */
  respond: (request: ScriptedRequest) => string | object | Promise<string | object>;
  /**
   * Simulated duration of each call, in milliseconds. A streamed response spreads it evenly over its chunks.
   * Aborting the call's signal ends the wait at once with the signal's reason. @default 0
   */
  latencyMs?: number | ((request: ScriptedRequest) => number);
  /** Split a streamed response into chunks of this many characters. @default the whole text in one chunk */
  chunkSize?: number;
  /** Token usage every call reports. @default estimated: one token per four characters of prompt and response */
  usage?: { inputTokens: number; outputTokens: number };
  /** The model's provider name. @default "scripted" */
  provider?: string;
  /** The model id. @default "scripted-model" */
  modelId?: string;
  /** Makes call number `callIndex` (0-based) fail with the returned error, before any latency. @default never */
  fail?: (callIndex: number) => Error | undefined;
}

/**
 * An offline AI SDK language model whose responses come from a function of the prompt. It supports
 * `generateText`, `streamText` and structured output (`Output.object`), never touches the network, and is a
 * `MockLanguageModelV4`, so tests can inspect `doGenerateCalls` and `doStreamCalls`.
 */
export function scriptedModel(options: ScriptedModelOptions): MockLanguageModelV4 {
  let calls = 0;
  const start = async (callOptions: CallOptions) => {
    const request = toRequest(callOptions, calls++);
    const failure = options.fail?.(request.callIndex);
    if (failure !== undefined) throw failure;
    const response = await options.respond(request);
    const text = typeof response === "string" ? response : JSON.stringify(response);
    const latencyMs =
      typeof options.latencyMs === "function" ? options.latencyMs(request) : options.latencyMs;
    return { request, text, latencyMs: latencyMs ?? 0, usage: toUsage(request, text, options.usage) };
  };
  return new MockLanguageModelV4({
    provider: options.provider ?? "scripted",
    modelId: options.modelId ?? "scripted-model",
    doGenerate: async (callOptions): Promise<GenerateResult> => {
      const call = await start(callOptions);
      await sleep(call.latencyMs, callOptions.abortSignal);
      return {
        content: [{ type: "text", text: call.text }],
        finishReason: { unified: "stop", raw: undefined },
        usage: call.usage,
        warnings: [],
      };
    },
    doStream: async (callOptions): Promise<StreamResult> => {
      const call = await start(callOptions);
      const chunks = splitText(call.text, options.chunkSize);
      const parts: StreamPart[] = [
        { type: "stream-start", warnings: [] },
        { type: "text-start", id: "text" },
        ...chunks.map((delta): StreamPart => ({ type: "text-delta", id: "text", delta })),
        { type: "text-end", id: "text" },
        { type: "finish", usage: call.usage, finishReason: { unified: "stop", raw: undefined } },
      ];
      return { stream: delayedStream(parts, call.latencyMs / chunks.length, callOptions.abortSignal) };
    },
  });
}

function toRequest(callOptions: CallOptions, callIndex: number): ScriptedRequest {
  const system: string[] = [];
  const texts: string[] = [];
  for (const message of callOptions.prompt) {
    if (message.role === "system") system.push(message.content);
    else for (const part of message.content) if (part.type === "text") texts.push(part.text);
  }
  const prompt = texts.join("\n\n");
  const role: ScriptedRole =
    callOptions.responseFormat?.type === "json"
      ? "planner"
      : prompt.includes("<subtask-results>")
        ? "aggregator"
        : "worker";
  return { ...(system.length > 0 ? { system: system.join("\n\n") } : {}), prompt, role, callIndex };
}

function toUsage(request: ScriptedRequest, text: string, usage: ScriptedModelOptions["usage"]) {
  const inputTokens = usage?.inputTokens ?? estimateTokens(`${request.system ?? ""}${request.prompt}`);
  const outputTokens = usage?.outputTokens ?? estimateTokens(text);
  return {
    inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 },
  };
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function splitText(text: string, chunkSize: number | undefined): string[] {
  if (chunkSize === undefined || chunkSize <= 0 || text.length <= chunkSize) return [text];
  const chunks: string[] = [];
  for (let index = 0; index < text.length; index += chunkSize)
    chunks.push(text.slice(index, index + chunkSize));
  return chunks;
}

/** Sends the parts in order, waiting `delayMs` before each text delta; the signal errors the stream. */
function delayedStream(
  parts: StreamPart[],
  delayMs: number,
  signal: AbortSignal | undefined,
): ReadableStream<StreamPart> {
  let index = 0;
  return new ReadableStream<StreamPart>({
    async pull(controller) {
      const part = parts[index++];
      if (part === undefined) {
        controller.close();
        return;
      }
      if (part.type === "text-delta" && delayMs > 0) await sleep(delayMs, signal);
      controller.enqueue(part);
    },
  });
}
