import type { LanguageModel } from "ai";
import { generateModelText } from "./generate-model-text.js";
import type { ModelRoleOptions } from "./model-role-options.js";
import { buildWorkerPrompt, defaultWorkerSystemPrompt } from "./prompts.js";
import type { Worker, WorkerInput } from "./worker.js";

/** Options for {@link modelWorker}. */
export interface ModelWorkerOptions extends ModelRoleOptions {
  /**
   * Replaces the user prompt builder. The default gives the model the original prompt, the subtask (title,
   * details, type) and the outputs of its dependencies. @default buildWorkerPrompt
   */
  prompt?: (input: WorkerInput) => string;
}

/**
 * The built-in worker: asks `model` to do one subtask and returns its text as the output, with the usage.
 * Streams when someone listens to deltas (or `stream: true`), emitting every text delta as a `task-delta` event. Its `limiterKey` is
 * `provider:modelId`, so workers on the same model are paced together. It never retries by itself (the engine
 * does) and provider errors are rethrown unchanged.
 */
export function modelWorker(model: LanguageModel, options: ModelWorkerOptions = {}): Worker<string> {
  return {
    limiterKey: limiterKeyOf(model),
    run(input, context) {
      return generateModelText({
        model,
        system: options.system ?? defaultWorkerSystemPrompt,
        prompt: (options.prompt ?? buildWorkerPrompt)(input),
        options,
        context,
      });
    },
  };
}

function limiterKeyOf(model: LanguageModel): string {
  return typeof model === "string" ? model : `${model.provider}:${model.modelId}`;
}
