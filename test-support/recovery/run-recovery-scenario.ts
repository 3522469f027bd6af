import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { foldRun, type PersistedRunEvent, type RunView } from "@orchestrator-workers/core";
import type { RecoveryChildConfig } from "./recovery-child.js";
import { type ExecutionCounts, readExecutionCounts } from "./recovery-workload.js";
import { openStoreSpec, type StoreSpec } from "./store-spec.js";

const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));
const childScript = fileURLToPath(new URL("./recovery-child.ts", import.meta.url));

/** Options for {@link runRecoveryScenario}. */
export interface RecoveryScenarioOptions {
  /** The store every process opens. */
  spec: StoreSpec;
  /** How long each worker execution takes, in milliseconds. @default 300 */
  workerMs?: number;
  /** Workers in flight. @default 3 */
  concurrency?: number;
  /** Lease of the first process on the run, in milliseconds. @default 600 */
  leaseMs?: number;
  /** SIGKILL the first process once the store has this many completed tasks. @default 3 */
  killAfterCompleted?: number;
}

/** What happened, for the test to check. */
export interface RecoveryScenarioResult {
  runId: string;
  /** The run as stored right after the kill (nothing can write it then). */
  atKill: RunView;
  /** Worker executions recorded in the counter file right after the kill. */
  countsAtKill: ExecutionCounts;
  /** Worker executions recorded once the recovering process finished the run. */
  finalCounts: ExecutionCounts;
  /** The final view the recovering process's `resume()` answered. */
  recovered: RunView;
  /** The final stored log, read by the parent. */
  events: PersistedRunEvent[];
  /** The fold of {@link events}. */
  stored: RunView;
}

/**
 * The crash-recovery scenario, for any store: a child process starts a run of slow workers (8 subtasks on 2
 * levels) and is SIGKILLed once some tasks completed; a second child process calls `recover()` until it takes
 * the run over (after the dead one's lease expires) and finishes it. Every worker execution is recorded in a
 * file outside both processes.
 */
export async function runRecoveryScenario(options: RecoveryScenarioOptions): Promise<RecoveryScenarioResult> {
  const directory = mkdtempSync(join(tmpdir(), "orchestrator-workers-recovery-"));
  const children: ChildProcess[] = [];
  const store = await openStoreSpec(options.spec);
  try {
    const runId = crypto.randomUUID();
    const base = {
      spec: options.spec,
      runId,
      counterFile: join(directory, "executions.log"),
      workerMs: options.workerMs ?? 300,
      concurrency: options.concurrency ?? 3,
      leaseMs: options.leaseMs ?? 600,
    };
    const first = startChild({ ...base, mode: "run" }, children);
    await first.next((message) => "started" in message);

    const completed = async () => {
      const events = await store.readEvents(runId);
      return events.length === 0 ? undefined : foldRun(runId, events);
    };
    const killAfter = options.killAfterCompleted ?? 3;
    await waitFor(async () => {
      const view = await completed();
      return (view?.tasks.filter((task) => task.status === "completed").length ?? 0) >= killAfter;
    }, `${killAfter} completed tasks`);
    first.child.kill("SIGKILL");
    await first.exited;
    const atKill = (await completed())!;
    const countsAtKill = readExecutionCounts(base.counterFile);

    const second = startChild({ ...base, mode: "recover" }, children);
    await second.next((message) => "recovered" in message);
    const final = await second.next((message) => "final" in message);
    await second.exited;

    const events = await store.readEvents(runId);
    return {
      runId,
      atKill,
      countsAtKill,
      finalCounts: readExecutionCounts(base.counterFile),
      recovered: final.final as RunView,
      events,
      stored: foldRun(runId, events),
    };
  } finally {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

interface Child {
  child: ChildProcess;
  exited: Promise<unknown>;
  /** Resolves with the first message (JSON line on stdout) matching `match`; rejects if the child exits first. */
  next(match: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

function startChild(config: RecoveryChildConfig, children: ChildProcess[]): Child {
  // From the repository root, so tsx resolves the workspace packages through the root tsconfig's paths.
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=source", childScript, JSON.stringify(config)],
    { cwd: repositoryRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  children.push(child);
  const messages: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  let output = "";
  let buffered = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    buffered += chunk.toString();
    let newline = buffered.indexOf("\n");
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.startsWith("{")) messages.push(JSON.parse(line) as Record<string, unknown>);
      newline = buffered.indexOf("\n");
    }
    for (const waiter of waiters) waiter();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = once(child, "exit");
  let hasExited = false;
  exited.then(() => {
    hasExited = true;
    for (const waiter of waiters) waiter();
  });
  return {
    child,
    exited,
    next: (match) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (found) {
            waiters.delete(check);
            resolve(found);
          } else if (hasExited) {
            waiters.delete(check);
            reject(
              new Error(
                `The ${config.mode} child exited (${child.exitCode ?? child.signalCode}):\n${output}`,
              ),
            );
          }
        };
        waiters.add(check);
        check();
      }),
  };
}

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
