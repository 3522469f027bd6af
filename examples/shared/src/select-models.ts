import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { ModelInstance } from "@orchestrator-workers/core";
import { scriptedModels } from "@orchestrator-workers/core/testing";

/** The models an example uses, and how to describe them in its banner. */
export interface SelectedModels {
  orchestrator: ModelInstance;
  worker: ModelInstance;
  /** One line for the banner. */
  description: string;
  /** True when no provider is configured and the models are scripted (offline). */
  scripted: boolean;
}

/**
 * Picks the provider from the environment:
 * - `OPENAI_BASE_URL` (key optional): any OpenAI-compatible chat-completions server (Ollama, vLLM, llama.cpp);
 * - `OPENAI_API_KEY`: OpenAI;
 * - neither: scripted offline models.
 * `ORCHESTRATOR_MODEL` / `WORKER_MODEL` pick the models.
 */
export async function selectModels(
  environment: NodeJS.ProcessEnv,
  latencyMs: number,
): Promise<SelectedModels> {
  const baseURL = environment.OPENAI_BASE_URL?.trim();
  const apiKey = environment.OPENAI_API_KEY?.trim();
  if (baseURL) {
    const provider = createOpenAICompatible({
      name: "openai-compatible",
      baseURL,
      // Ollama, vLLM and llama.cpp accept json_schema response formats; the planner relies on them.
      supportsStructuredOutputs: true,
      includeUsage: true,
      ...(apiKey ? { apiKey } : {}),
    });
    const orchestratorId =
      environment.ORCHESTRATOR_MODEL?.trim() || (await firstServedModel(baseURL, apiKey));
    const workerId = environment.WORKER_MODEL?.trim() || orchestratorId;
    return {
      orchestrator: provider.chatModel(orchestratorId),
      worker: provider.chatModel(workerId),
      description: `OpenAI-compatible server ${baseURL} (orchestrator ${orchestratorId}, workers ${workerId})`,
      scripted: false,
    };
  }
  if (apiKey) {
    const openai = createOpenAI({ apiKey });
    const orchestratorId = environment.ORCHESTRATOR_MODEL?.trim() || "gpt-5";
    const workerId = environment.WORKER_MODEL?.trim() || "gpt-5-mini";
    return {
      orchestrator: openai(orchestratorId),
      worker: openai(workerId),
      description: `OpenAI (orchestrator ${orchestratorId}, workers ${workerId})`,
      scripted: false,
    };
  }
  const models = scriptedModels({ latencyMs });
  return {
    ...models,
    description:
      "SCRIPTED OFFLINE MODELS: no provider configured, answers are canned and start with [scripted]",
    scripted: true,
  };
}

/** Asks an OpenAI-compatible server which models it serves and picks the first. */
async function firstServedModel(baseURL: string, apiKey: string | undefined): Promise<string> {
  const url = `${baseURL.replace(/\/+$/, "")}/models`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new Error(
      `Could not reach ${url} to list models (${error instanceof Error ? error.message : String(error)}). ` +
        "Check OPENAI_BASE_URL, or set ORCHESTRATOR_MODEL to a model the server serves.",
    );
  }
  const body = (await response.json().catch(() => undefined)) as
    | { data?: Array<{ id?: unknown }> }
    | undefined;
  const id = body?.data?.find((model) => typeof model.id === "string")?.id;
  if (!response.ok || typeof id !== "string") {
    throw new Error(
      `${url} answered ${response.status} without a model list. Set ORCHESTRATOR_MODEL (and optionally WORKER_MODEL) to a model the server serves.`,
    );
  }
  return id;
}
