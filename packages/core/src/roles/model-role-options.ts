import type { JSONValue } from "ai";

/** Options every built-in model role (`modelPlanner`, `modelWorker`, `modelAggregator`) accepts. */
export interface ModelRoleOptions {
  /** Replaces the role's default system prompt. @default the role's prompt from `prompts.ts` */
  system?: string;
  /** Provider-specific options passed through to the AI SDK call, keyed by provider name. */
  providerOptions?: Record<string, Record<string, JSONValue>>;
  /** Sampling temperature passed to the model. @default the provider's default */
  temperature?: number;
  /** Use `streamText` (output arrives incrementally) instead of `generateText`. @default true */
  stream?: boolean;
}
