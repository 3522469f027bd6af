import { OrchestrateError } from "@orchestrator-workers/core";
import { describeStoreUrl, selectModels } from "@orchestrator-workers/example-shared";
import { environmentHelp, readServerConfig } from "./server-config.js";
import { startServer } from "./start-server.js";

/** How long a graceful shutdown may take before the process exits anyway, in milliseconds. */
const shutdownTimeoutMs = 10_000;

async function main(): Promise<void> {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    console.log(
      `Usage: pnpm serve\n\nServes the orchestrator-workers HTTP API with Express.\n\n${environmentHelp}`,
    );
    return;
  }
  const config = readServerConfig(process.env);
  const models = await selectModels(process.env, config.latencyMs);
  const modelLine = models.scripted
    ? `${models.description} (latency ${config.latencyMs} ms)`
    : models.description;
  console.log(
    `orchestrator-workers Express server\nmodels: ${process.stdout.isTTY && models.scripted ? `\x1b[1m\x1b[33m${modelLine}\x1b[0m` : modelLine}\n` +
      `store:  ${describeStoreUrl(config.storeUrl)}\nlease:  ${config.leaseMs} ms\n`,
  );

  const server = await startServer({ config, models });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.log(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    console.log(`${signal}: stopping (runs in progress are released for another instance to resume)`);
    setTimeout(() => {
      console.error(`shutdown took longer than ${shutdownTimeoutMs} ms: exiting`);
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    server.close().then(
      () => console.log("stopped"),
      (error: unknown) => {
        console.error(`shutdown failed: ${describeError(error)}`);
        process.exitCode = 1;
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  console.log(`listening on ${server.url}`);
  console.log(
    `try: curl -X POST -H "Content-Type: application/json" -d '{"prompt": "Your task description here"}' ${server.url}/`,
  );
}

function describeError(error: unknown): string {
  if (OrchestrateError.isInstance(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

main().catch((error: unknown) => {
  console.error(`server failed to start: ${describeError(error)}`);
  process.exit(1);
});
