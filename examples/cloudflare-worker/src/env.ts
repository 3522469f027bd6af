import type { OrchestratorWorkflowParams } from "@orchestrator-workers/cloudflare";

/** The Worker's bindings, as declared in wrangler.jsonc. */
export interface Env {
  /** The orchestrator Workflow: one instance per run. */
  ORCHESTRATOR: Workflow<OrchestratorWorkflowParams>;
  /** The run store (event logs, step results); migrated on first use. */
  DB: D1Database;
  /** Workers AI, for the deployed models (absent in the offline `local` environment). */
  AI?: Ai;
  /** Which models run: "workers-ai" (default) or "scripted" (offline, no API call). */
  MODELS?: string;
}
