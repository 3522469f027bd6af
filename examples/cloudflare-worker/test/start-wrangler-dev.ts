import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** A `wrangler dev` process serving the example Worker. */
export interface WranglerDev {
  /** Where it listens, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** Everything it printed so far. */
  output(): string;
  /** Stops it and its children (workerd), and deletes its local state. Safe to call twice. */
  stop(): Promise<void>;
}

/** Thrown when wrangler cannot run on this machine (not when the Worker is broken): the test skips, except in CI. */
export class EnvironmentError extends Error {
  override readonly name = "EnvironmentError";
}

const exampleDirectory = fileURLToPath(new URL("..", import.meta.url));
const wranglerBin = join(exampleDirectory, "node_modules", "wrangler", "bin", "wrangler.js");

// Output that means the machine cannot run workerd or wrangler, rather than a bug in the Worker.
const environmentalFailures = [
  /GLIBC|GLIBCXX|libc\+\+|error while loading shared libraries/i,
  /workerd.*(ENOENT|EACCES|not found|cannot execute|exec format error|Unsupported platform)/i,
  /spawn .* (ENOENT|EACCES)/i,
  /The Workers runtime failed to start/i,
];

/**
 * Starts `wrangler dev --env local` for the example on a free port, with fresh local state (so the D1 schema is
 * migrated by the Worker itself, as on a fresh checkout), no metrics and no `request.cf` download. Resolves once
 * wrangler prints "Ready"; rejects after `timeoutMs` or when wrangler exits first, always killing the process.
 * A port taken between choosing and binding it is retried once with other ports.
 */
export async function startWranglerDev(timeoutMs = 90_000): Promise<WranglerDev> {
  try {
    return await startOnce(timeoutMs);
  } catch (error) {
    if (error instanceof Error && /EADDRINUSE|address already in use/i.test(error.message))
      return startOnce(timeoutMs);
    throw error;
  }
}

async function startOnce(timeoutMs: number): Promise<WranglerDev> {
  if (!existsSync(wranglerBin)) {
    throw new EnvironmentError(`wrangler is not installed at ${wranglerBin}; run pnpm install.`);
  }
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const state = mkdtempSync(join(tmpdir(), "orchestrator-workers-wrangler-"));
  let output = "";
  let child: ChildProcess;
  try {
    child = spawn(
      process.execPath,
      [
        wranglerBin,
        "dev",
        "--env",
        "local",
        "--ip",
        "127.0.0.1",
        "--port",
        String(port),
        "--inspector-port",
        String(inspectorPort),
        "--persist-to",
        state,
        "--show-interactive-dev-session=false",
      ],
      {
        cwd: exampleDirectory,
        // Its own process group, so that stop() ends workerd too.
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          WRANGLER_SEND_METRICS: "false",
          CLOUDFLARE_CF_FETCH_ENABLED: "false",
          NO_COLOR: "1",
          FORCE_COLOR: "0",
          CI: "1",
        },
      },
    );
  } catch (error) {
    rmSync(state, { recursive: true, force: true });
    throw new EnvironmentError(
      `wrangler could not be spawned: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const spawnFailed = new Promise<Error>((resolve) => child.once("error", resolve));

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        signalGroup(child.pid, "SIGTERM");
        const killed = await Promise.race([exited.then(() => true), delay(5_000).then(() => false)]);
        if (!killed) signalGroup(child.pid, "SIGKILL");
        await Promise.race([exited, delay(2_000)]);
      }
      rmSync(state, { recursive: true, force: true });
    })());
  // A test runner that dies must not leave wrangler running.
  const onExit = () => child.pid !== undefined && signalGroup(child.pid, "SIGKILL");
  process.once("exit", onExit);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (/Ready on http/i.test(output)) break;
      const failure = await Promise.race([
        exited.then((code) => `wrangler exited with code ${code} before it was ready`),
        spawnFailed.then((error) => `wrangler could not be spawned: ${error.message}`),
        delay(100).then(() => undefined),
      ]);
      if (failure !== undefined) throw classify(failure, output);
      if (Date.now() > deadline)
        throw new Error(`wrangler dev was not ready after ${timeoutMs} ms.\n${output}`);
    }
  } catch (error) {
    await stop();
    process.removeListener("exit", onExit);
    throw error;
  }
  return {
    url,
    output: () => output,
    stop: async () => {
      await stop();
      process.removeListener("exit", onExit);
    },
  };
}

function classify(failure: string, output: string): Error {
  const message = `${failure}.\n${output}`;
  if (
    failure.includes("could not be spawned") ||
    environmentalFailures.some((pattern) => pattern.test(output))
  ) {
    return new EnvironmentError(message);
  }
  return new Error(message);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
