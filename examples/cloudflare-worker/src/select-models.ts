import { workersAiModels } from "@orchestrator-workers/cloudflare";
import type { ModelInstance } from "@orchestrator-workers/core";
import { scriptedModels } from "@orchestrator-workers/core/testing";
import type { Env } from "./env.js";

/**
 * The models for this Worker: Workers AI with the original deployment's models by default (Llama 3.3 70B plans
 * and aggregates, Llama 3.1 8B runs subtasks), or scripted offline models when `MODELS` is `"scripted"`
 * (`pnpm dev:worker` sets it, so local development needs no account and no network).
 */
export function selectModels(env: Env): { orchestrator: ModelInstance; worker: ModelInstance } {
  const choice = env.MODELS ?? "workers-ai";
  if (choice === "scripted") return scriptedModels({ latencyMs: 150 });
  if (choice === "workers-ai") {
    if (!env.AI)
      throw new Error(
        'MODELS is "workers-ai" but the Worker has no AI binding; add "ai": { "binding": "AI" }.',
      );
    return workersAiModels(env.AI);
  }
  throw new Error(`Unknown MODELS value ${JSON.stringify(choice)}: expected "workers-ai" or "scripted".`);
}
