import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { chownSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { debianPostgresBinDirectories, findExecutable } from "./find-executable.js";
import { freePort } from "./free-port.js";
import { type DedicatedServer, dedicatedServer, spawnServer } from "./server-process.js";

/** A throwaway Postgres cluster of a test's own, which the test may stop, pause and restart. */
export interface DedicatedPostgres extends DedicatedServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  connectionString: string;
}

const binDirectories = debianPostgresBinDirectories();

/** Where `initdb` is (from PATH, else a Debian-style `/usr/lib/postgresql/<version>/bin`), or `undefined`. */
export const initdbPath = findExecutable("initdb", binDirectories);

/**
 * `initdb` refuses to run as root: as root, the cluster belongs to the `postgres` user and its processes run
 * as that user (spawned with its uid and gid).
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    throw new Error("Running as root needs a 'postgres' user to own the test cluster (initdb refuses root).");
  }
}

/**
 * Creates a cluster in a temporary folder with `initdb` (trust authentication, user `postgres`) and starts it
 * on a free port of 127.0.0.1 with durability settings relaxed for speed (no fsync: a killed server loses
 * nothing, only a killed machine would). About two seconds.
 */
export async function startDedicatedPostgres(): Promise<DedicatedPostgres> {
  if (!initdbPath) throw new Error("initdb was not found in PATH or under /usr/lib/postgresql/*/bin.");
  const binDirectory = join(initdbPath, "..");
  const user = serverUser();
  const directory = mkdtempSync(join(tmpdir(), "orchestrator-workers-postgres-"));
  if (user) chownSync(directory, user.uid, user.gid);
  const data = join(directory, "data");
  const owner = user ? { uid: user.uid, gid: user.gid } : {};
  const initdb = spawn(
    initdbPath,
    ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"],
    { ...owner, stdio: ["ignore", "pipe", "pipe"] },
  );
  let initdbOutput = "";
  initdb.stdout.on("data", (chunk: Buffer) => (initdbOutput += chunk.toString()));
  initdb.stderr.on("data", (chunk: Buffer) => (initdbOutput += chunk.toString()));
  const [code] = (await once(initdb, "exit")) as [number | null];
  if (code !== 0) throw new Error(`initdb failed (${code}):\n${initdbOutput}`);

  const port = await freePort();
  const args = [
    "-D",
    data,
    "-p",
    String(port),
    "-k",
    directory,
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "fsync=off",
    "-c",
    "full_page_writes=off",
    "-c",
    "max_connections=50",
    "-c",
    "shared_buffers=16MB",
  ];
  const launch = () =>
    spawnServer(
      join(binDirectory, "postgres"),
      args,
      /database system is ready to accept connections/,
      owner,
    );
  return {
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
    ...(await dedicatedServer(launch, directory)),
  };
}
