import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const exampleRoot = fileURLToPath(new URL("..", import.meta.url));

/** A `pnpm serve` server running as a child process. */
export interface ServerProcess {
  /** The base URL from the server's "listening on" line. */
  url: string;
  child: ChildProcess;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** Sends `signal` and waits for the process to exit; answers its exit code and signal. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ServerProcess>();

/**
 * Starts `src/main.ts` the way `pnpm serve` does (tsx, `source` condition) on a free port of 127.0.0.1, with no
 * provider configured (scripted models), and waits for its "listening on" line.
 */
export async function startServerProcess(environment: Record<string, string>): Promise<ServerProcess> {
  const { OPENAI_API_KEY: _key, OPENAI_BASE_URL: _url, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=source", "src/main.ts"], {
    cwd: exampleRoot,
    env: { ...inherited, PORT: "0", HOST: "127.0.0.1", ...environment },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const server: ServerProcess = {
    url: "",
    child,
    output: () => text,
    stop: async (signal = "SIGKILL") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const [code, exitSignal] = await exited;
      running.delete(server);
      return { code, signal: exitSignal };
    },
  };
  running.add(server);
  server.url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The server did not start in 15 s:\n${text}`)), 15_000);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    exited.then(([code, signal]) => {
      clearTimeout(timer);
      reject(new Error(`The server exited (${code ?? signal}) before listening:\n${text}`));
    });
  });
  return server;
}

/** Kills every server still running (SIGKILL) and waits for each to exit: call it in `afterEach`. */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop("SIGKILL")));
}
