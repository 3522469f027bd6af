import type { LanguageModel } from "ai";

/** A {@link LanguageModel} object (a provider model instance), as opposed to a bare gateway model id string. */
export type LanguageModelObject = Exclude<LanguageModel, string>;

/**
 * Whether `value` is an AI SDK language model object: an object with a string `specificationVersion` and a
 * `doGenerate` or `doStream` method. Roles (planners, workers, aggregators) fail this check, which is how a
 * bare model is told apart from a role. A model id string is not a model object.
 */
export function isLanguageModel(value: unknown): value is LanguageModelObject {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.specificationVersion === "string" &&
    (typeof candidate.doGenerate === "function" || typeof candidate.doStream === "function")
  );
}
