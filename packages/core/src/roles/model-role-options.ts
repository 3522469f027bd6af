import type { JSONValue } from "ai";

/** Options every built-in model role (`modelPlanner`, `modelWorker`, `modelAggregator`) accepts. */
export interface ModelRoleOptions {
  /** Replaces the role's default system prompt. @default the role's prompt from `prompts.ts` */
  system?: string;
  /** Provider-specific options passed through to the AI SDK call, keyed by provider name. */
  providerOptions?: Record<string, Record<string, JSONValue>>;
  /** Sampling temperature passed to the model. @default the provider's default */
  temperature?: number;
  /**
   * Use `streamText` (output arrives incrementally, as deltas) instead of `generateText`. The planner streams by
   * default (so workers start before the plan is complete); workers and the aggregator stream when someone
   * listens to deltas (`context.deltasWanted`). @default see above
   */
  stream?: boolean;
}
