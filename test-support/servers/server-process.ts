import { type ChildProcess, execFileSync, type SpawnOptions, spawn } from "node:child_process";
import { once } from "node:events";
import { rmSync } from "node:fs";

/** A database server started by a test, as a child process in its own process group. */
export interface ServerChild {
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  exited: Promise<unknown>;
}

const running = new Set<ChildProcess>();
// Servers run detached; should the test process exit without stopping them (a crash, Ctrl-C), kill them.
process.on("exit", () => {
  for (const child of running) signalGroup(child, "SIGKILL");
});

/**
 * Spawns `command` in its own process group (so a signal to the group reaches the server's worker processes
 * too) and waits until its output matches `ready`.
 */
export async function spawnServer(
  command: string,
  args: string[],
  ready: RegExp,
  options: SpawnOptions = {},
  timeoutMs = 15_000,
): Promise<ServerChild> {
  const child = spawn(command, args, { ...options, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  running.add(child);
  const exited = once(child, "exit");
  exited.then(() => running.delete(child));
  const server: ServerChild = { child, output: () => text, exited };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      signalGroup(child, "SIGKILL");
      reject(new Error(`${command} did not get ready in ${timeoutMs} ms:\n${text}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (ready.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    exited.then(() => {
      clearTimeout(timer);
      reject(
        new Error(`${command} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${text}`),
      );
    });
  });
  return server;
}

/**
 * Sends `signal` to the child, its process group and every descendant (Postgres backends call `setsid()`, so
 * they are in groups of their own); ignores processes that are gone. The child first, so that a stopped server
 * does not fork new workers meanwhile.
 */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  const pids = [-child.pid!, ...descendants(child.pid!)];
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** The pids of every descendant of `pid`, from `ps` (POSIX). */
function descendants(pid: number): number[] {
  let table: string;
  try {
    table = execFileSync("ps", ["-A", "-o", "pid=,ppid="], { encoding: "utf8" });
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const line of table.split("\n")) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (child === undefined || parent === undefined || Number.isNaN(parent)) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const pending = [pid];
  while (pending.length > 0) {
    for (const child of children.get(pending.pop()!) ?? []) {
      found.push(child);
      pending.push(child);
    }
  }
  return found;
}

/** SIGKILLs the child's process group and waits for the child to exit. */
export async function killServer(server: ServerChild): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  signalGroup(server.child, "SIGCONT");
  signalGroup(server.child, "SIGKILL");
  await server.exited;
}

/** A database server of a test's own, which the test may stop, pause and restart without disturbing others. */
export interface DedicatedServer {
  /** SIGKILLs the server (connections are refused until {@link start}). Data written so far survives. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data folder. */
  start(): Promise<void>;
  /** SIGSTOPs it: connections stay open and nothing answers (a hung server). */
  pause(): void;
  /** SIGCONTs it. */
  resume(): void;
  /** Stops it for good and deletes its data `directory`. */
  close(): Promise<void>;
}

/** Starts a server with `launch` and answers the controls of a {@link DedicatedServer} over it. */
export async function dedicatedServer(
  launch: () => Promise<ServerChild>,
  directory: string,
): Promise<DedicatedServer> {
  let server: ServerChild | undefined = await launch();
  const kill = async () => {
    if (server) await killServer(server);
    server = undefined;
  };
  return {
    stop: kill,
    async start() {
      if (!server) server = await launch();
    },
    pause: () => server && signalGroup(server.child, "SIGSTOP"),
    resume: () => server && signalGroup(server.child, "SIGCONT"),
    async close() {
      await kill();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
