import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findExecutable } from "./find-executable.js";
import { freePort } from "./free-port.js";
import { killServer, type ServerChild, signalGroup, spawnServer } from "./server-process.js";

/** A `redis-server` of a test's own, which the test may stop, pause and restart without disturbing others. */
export interface DedicatedRedis {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  /** SIGKILLs the server (connections are refused until {@link start}). Data written so far survives. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data folder. */
  start(): Promise<void>;
  /** SIGSTOPs it: connections stay open and nothing answers (a hung server). */
  pause(): void;
  /** SIGCONTs it. */
  resume(): void;
  /** Stops it for good and deletes its data. */
  close(): Promise<void>;
}

/** Where `redis-server` is, or `undefined`. */
export const redisServerPath = findExecutable("redis-server");

/**
 * Starts a `redis-server` on a free port of 127.0.0.1 with an append-only file fsynced on every write in a
 * temporary folder, so that acknowledged writes survive a SIGKILL and a restart.
 */
export async function startDedicatedRedis(): Promise<DedicatedRedis> {
  if (!redisServerPath) throw new Error("redis-server was not found in PATH.");
  const directory = mkdtempSync(join(tmpdir(), "orchestrator-workers-redis-"));
  const port = await freePort();
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "yes",
    "--appendfsync",
    "always",
    "--dir",
    directory,
  ];
  const launch = () => spawnServer(redisServerPath!, args, /Ready to accept connections/);
  let server: ServerChild | undefined = await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (server) await killServer(server);
      server = undefined;
    },
    async start() {
      if (!server) server = await launch();
    },
    pause: () => server && signalGroup(server.child, "SIGSTOP"),
    resume: () => server && signalGroup(server.child, "SIGCONT"),
    async close() {
      if (server) await killServer(server);
      server = undefined;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
