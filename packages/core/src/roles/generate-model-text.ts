import { generateText, type LanguageModel, type LanguageModelUsage, streamText } from "ai";
import type { Usage } from "../types/usage.js";
import { fromLanguageModelUsage } from "./language-model-usage.js";
import type { ModelRoleOptions } from "./model-role-options.js";
import type { RoleContext } from "./role-context.js";

/** One text generation for a model role. */
export interface GenerateModelTextRequest {
  model: LanguageModel;
  system: string;
  prompt: string;
  options: ModelRoleOptions;
  context: RoleContext;
}

/** The generated text, as the role's output, and the tokens it cost. */
export interface GenerateModelTextResponse {
  output: string;
  usage: Usage;
}

/**
 * Generates text for a worker or aggregator. Streams when asked to, or when someone listens to deltas
 * (`context.deltasWanted`), and then forwards every text delta to `context.emitDelta`. Never retries (the
 * engine does), and rejects with `context.signal.reason` once the signal aborts; provider errors (such as
 * `APICallError`) are rethrown unchanged. Not an async function: the common, non-streaming call is one
 * `generateText` promise and one `then`, with no extra frames held while the model works.
 */
export function generateModelText(request: GenerateModelTextRequest): Promise<GenerateModelTextResponse> {
  const { context } = request;
  const rethrow = (error: unknown): never => {
    context.signal.throwIfAborted();
    throw error;
  };
  if (request.options.stream ?? context.deltasWanted) return stream(request).catch(rethrow);
  return generateText(callSettings(request)).then(toResponse, rethrow);
}

/** Module level, so a pending call holds no extra function object for it. */
function toResponse(result: { text: string; usage: LanguageModelUsage }): GenerateModelTextResponse {
  return { output: result.text, usage: fromLanguageModelUsage(result.usage) };
}

function callSettings({ model, system, prompt, options, context }: GenerateModelTextRequest) {
  const settings: Parameters<typeof generateText>[0] = {
    model,
    system,
    prompt,
    maxRetries: 0,
    abortSignal: context.signal,
  };
  // Only what is set: the SDK copies and inspects every key of its settings, several times per call.
  if (options.temperature !== undefined) settings.temperature = options.temperature;
  if (options.providerOptions !== undefined) settings.providerOptions = options.providerOptions;
  return settings;
}

async function stream(request: GenerateModelTextRequest): Promise<GenerateModelTextResponse> {
  const { context } = request;
  // Errors arrive as `error` parts and are rethrown below; the no-op keeps the SDK from also logging them.
  const result = streamText({ ...callSettings(request), onError: () => {} });
  let text = "";
  let usage: LanguageModelUsage | undefined;
  for await (const part of result.stream) {
    if (part.type === "text-delta") {
      text += part.text;
      if (part.text.length > 0) context.emitDelta(part.text);
    } else if (part.type === "finish") {
      usage = part.totalUsage;
    } else if (part.type === "error") {
      throw part.error;
    } else if (part.type === "abort") {
      context.signal.throwIfAborted();
      throw new Error(`The model call was aborted: ${part.reason ?? "no reason given"}.`);
    }
  }
  context.signal.throwIfAborted();
  return { output: text, usage: fromLanguageModelUsage(usage) };
}
