import { createOrchestrator, OrchestrateError } from "@orchestrator-workers/core";
import { openStore, selectModels } from "@orchestrator-workers/example-shared";
import { parseArgs, usage } from "./parse-args.js";
import { TerminalRenderer } from "./terminal-renderer.js";

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(usage);
    return 0;
  }
  const models = await selectModels(process.env, args.latencyMs);
  const banner = models.scripted ? `\x1b[1m\x1b[33m${models.description}\x1b[0m` : models.description;
  console.log(
    `orchestrator-workers demo\nmodels: ${process.stdout.isTTY ? banner : models.description}\nstore:  ${args.store}\nprompt: ${args.prompt}\n`,
  );

  const { store, close } = await openStore(args.store);
  const orchestrator = createOrchestrator({
    orchestrator: models.orchestrator,
    worker: models.worker,
    store,
  });
  const renderer = new TerminalRenderer(process.stdout);
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  try {
    const result = await orchestrator.run(args.prompt, {
      concurrency: args.concurrency,
      signal: controller.signal,
      onEvent: (event) => renderer.handle(event),
    });
    renderer.stop();
    console.log(
      `\nstatus: ${result.status}${result.reason ? ` (${result.reason})` : ""}   run id: ${result.id}`,
    );
    if (result.error) console.log(`error:  ${result.error.code}: ${result.error.message}`);
    if (result.output !== undefined)
      console.log(`\n${"─".repeat(20)} output ${"─".repeat(20)}\n${String(result.output)}\n`);
    const { byRole } = result.usage;
    console.log(
      `usage: ${result.usage.totalTokens} tokens (in ${result.usage.inputTokens}, out ${result.usage.outputTokens}) — ` +
        `orchestrator ${byRole.orchestrator.totalTokens}, workers ${byRole.worker.totalTokens}, aggregator ${byRole.aggregator.totalTokens}`,
    );
    return result.status === "completed" ? 0 : 1;
  } finally {
    renderer.stop();
    await close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = OrchestrateError.isInstance(error)
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
    console.error(`demo failed: ${message}`);
    process.exitCode = 1;
  },
);
