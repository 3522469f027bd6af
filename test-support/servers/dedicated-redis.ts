import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findExecutable } from "./find-executable.js";
import { freePort } from "./free-port.js";
import { type DedicatedServer, dedicatedServer, spawnServer } from "./server-process.js";

/** A `redis-server` of a test's own, which the test may stop, pause and restart without disturbing others. */
export interface DedicatedRedis extends DedicatedServer {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
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
  return { url: `redis://127.0.0.1:${port}`, ...(await dedicatedServer(launch, directory)) };
}
