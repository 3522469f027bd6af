import type { LanguageModelUsage } from "ai";
import { normalizeUsage, type Usage } from "../types/usage.js";

/**
 * Converts an AI SDK {@link LanguageModelUsage} into our {@link Usage}. Counts the provider did not report
 * become `0`; `totalTokens` is the provider's total when it gave one, otherwise `inputTokens + outputTokens`.
 * `undefined` (no usage reported at all) gives all zeros.
 */
export function fromLanguageModelUsage(usage: LanguageModelUsage | undefined): Usage {
  return normalizeUsage(usage);
}
