import type { LanguageModel } from "ai";
import type { AggregateInput, Aggregator } from "./aggregator.js";
import { generateModelText } from "./generate-model-text.js";
import type { ModelRoleOptions } from "./model-role-options.js";
import { buildAggregatorPrompt, defaultAggregatorSystemPrompt } from "./prompts.js";

/** Options for {@link modelAggregator}. */
export interface ModelAggregatorOptions extends ModelRoleOptions {
  /**
   * Replaces the user prompt builder. The default gives the model the original prompt, the plan analysis, each
   * completed task's title and output, and the tasks that did not complete with why. @default buildAggregatorPrompt
   */
  prompt?: (input: AggregateInput) => string;
}

/**
 * The built-in aggregator: asks `model` to synthesize the completed subtasks into one answer to the original
 * prompt, telling it which subtasks are missing so the answer can say so. Returns the text as the run's output.
 * Streams when someone listens to deltas (or `stream: true`), emitting every text delta as an `aggregate-delta`
 * event. It never retries by itself and
 * provider errors are rethrown unchanged.
 */
export function modelAggregator(
  model: LanguageModel,
  options: ModelAggregatorOptions = {},
): Aggregator<string> {
  return {
    aggregate(input, context) {
      return generateModelText({
        model,
        system: options.system ?? defaultAggregatorSystemPrompt,
        prompt: (options.prompt ?? buildAggregatorPrompt)(input),
        options,
        context,
      });
    },
  };
}
