/** How `pnpm serve` is configured, read from the environment by {@link readServerConfig}. */
export interface ServerConfig {
  /** `PORT`: the port to listen on; 0 picks a free one (the listening line names it). @default 8787 */
  port: number;
  /** `HOST`: the interface to listen on. @default every interface */
  host: string | undefined;
  /** `STORE_URL`: `memory:`, `sqlite:<path>`, `redis://…` or `postgres://…`. @default "sqlite:.data/runs.db" */
  storeUrl: string;
  /** `LATENCY_MS`: simulated duration of each scripted model call, in milliseconds. @default 400 */
  latencyMs: number;
  /**
   * `LEASE_MS`: how long this process's lease on a run lasts, in milliseconds. A run whose process died is
   * resumed by another one (or this one, restarted) once its lease expires; recovery is tried this often.
   * @default 30000
   */
  leaseMs: number;
}

/** The store `pnpm serve` uses when `STORE_URL` is not set: a SQLite file under the git-ignored `.data/`. */
export const defaultStoreUrl = "sqlite:.data/runs.db";

/** The environment variables {@link readServerConfig} reads, for the usage text. */
export const environmentHelp = `Environment:
  PORT         port to listen on (default 8787; 0 picks a free port)
  HOST         interface to listen on (default: every interface)
  STORE_URL    memory:, sqlite:<path> (default ${defaultStoreUrl}), redis://…, postgres://…
  LEASE_MS     lease on each run, in ms; a crashed server's runs resume after it (default 30000)
  LATENCY_MS   latency of the scripted offline models, in ms (default 400)
  OPENAI_API_KEY, OPENAI_BASE_URL, ORCHESTRATOR_MODEL, WORKER_MODEL   provider (default: scripted models)`;

/** Reads and validates the server's environment variables. Throws an `Error` naming the variable that is wrong. */
export function readServerConfig(environment: NodeJS.ProcessEnv): ServerConfig {
  const host = environment.HOST?.trim();
  return {
    port: integerVariable(environment, "PORT", 8787, 0, 65_535),
    host: host ? host : undefined,
    storeUrl: environment.STORE_URL?.trim() || defaultStoreUrl,
    latencyMs: integerVariable(environment, "LATENCY_MS", 400, 0, 600_000),
    leaseMs: integerVariable(environment, "LEASE_MS", 30_000, 100, 3_600_000),
  };
}

function integerVariable(
  environment: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = environment[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, received ${JSON.stringify(raw)}.`);
  }
  return value;
}
