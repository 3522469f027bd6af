/** Command-line options of the demo. */
export interface DemoArguments {
  prompt: string;
  /** `memory:` or `sqlite:<path>`. */
  store: string;
  /** Max workers in flight. */
  concurrency: number;
  /** Simulated latency of the scripted models, in milliseconds. */
  latencyMs: number;
  help: boolean;
}

export const defaultPrompt =
  "Plan a one-week launch of a small open-source TypeScript library: what to prepare, how to announce it, and how to measure whether it worked.";

export const usage = `Usage: pnpm demo [options] ["<prompt>"]

Runs one orchestrator-workers job with live progress, then prints the output and token usage.

Options:
  --store <url>        memory: (default) or sqlite:<path> to keep the run on disk
  --concurrency <n>    max workers in flight (default 4)
  --latency <ms>       simulated latency of the offline scripted models (default 400)
  -h, --help           show this help

Provider (environment):
  OPENAI_API_KEY       use OpenAI
  OPENAI_BASE_URL      use any OpenAI-compatible server (Ollama, vLLM, llama.cpp); key optional
  ORCHESTRATOR_MODEL   model that plans and aggregates
  WORKER_MODEL         model that runs subtasks
With none of these, scripted offline models are used.`;

/** Parses argv (without node and the script). Throws an Error with a precise message on bad input. */
export function parseArgs(argv: readonly string[]): DemoArguments {
  const result: DemoArguments = {
    prompt: defaultPrompt,
    store: "memory:",
    concurrency: 4,
    latencyMs: 400,
    help: false,
  };
  const words: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    const value = () => {
      const next = argv[++index];
      if (next === undefined) throw new Error(`${argument} needs a value.`);
      return next;
    };
    if (argument === "-h" || argument === "--help") result.help = true;
    else if (argument === "--store") result.store = value();
    else if (argument === "--concurrency") result.concurrency = positiveInteger(argument, value());
    else if (argument === "--latency") result.latencyMs = positiveInteger(argument, value(), true);
    else if (argument === "--") continue;
    else if (argument.startsWith("--")) throw new Error(`Unknown option ${argument}.`);
    else words.push(argument);
  }
  if (words.length > 0) result.prompt = words.join(" ");
  if (!/^(memory:|sqlite:.+)$/.test(result.store)) {
    throw new Error(`--store must be memory: or sqlite:<path>, received ${JSON.stringify(result.store)}.`);
  }
  return result;
}

function positiveInteger(option: string, raw: string, allowZero = false): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new Error(
      `${option} expects a ${allowZero ? "non-negative" : "positive"} integer, received ${JSON.stringify(raw)}.`,
    );
  }
  return value;
}
