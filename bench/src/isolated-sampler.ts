import { fork } from "node:child_process";
import type { IsolatedJob, IsolatedReply, IsolatedSample } from "./isolated-job.js";

/** How long one child may take before the benchmark gives up, in milliseconds. */
const childTimeoutMs = 120_000;

/**
 * Measures each job in a fresh child process (`isolated-process.ts`, forked with this process's `execArgv`,
 * so tsx and `--expose-gc` carry over), `rounds` times, alternating the order (A B C, C B A, …) so no job
 * always runs on a warmer or cooler machine. Returns every job's samples, all rounds together, in job order.
 *
 * Contenders measured in one process distort each other: after the streaming planner has run, the engine and
 * the AI SDK run measurably slower for the non-streaming contenders too (shared code turns polymorphic, and
 * V8 pretenures allocation sites). A deployed application runs one configuration, so each is measured alone.
 */
export async function sampleIsolated(jobs: IsolatedJob[], rounds: number): Promise<IsolatedSample[][]> {
  const results: IsolatedSample[][] = jobs.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const indexes = jobs.map((_, index) => index);
    if (round % 2 === 1) indexes.reverse();
    for (const index of indexes) results[index]!.push(...(await runChild(jobs[index]!)));
  }
  return results;
}

function runChild(job: IsolatedJob): Promise<IsolatedSample[]> {
  const child = fork(new URL("./isolated-process.ts", import.meta.url), [], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    execArgv: childExecArgv(),
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | undefined, samples?: IsolatedSample[]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        child.kill();
        reject(error);
      } else resolve(samples!);
    };
    const timer = setTimeout(
      () => settle(new Error(`${job.contender} sent no samples in ${childTimeoutMs} ms.`)),
      childTimeoutMs,
    );
    child.on("message", (reply: IsolatedReply) => {
      if (reply.type === "samples") settle(undefined, reply.samples);
      else settle(new Error(`${job.contender} failed in its process: ${reply.message}`));
    });
    child.on("error", (error) => settle(error));
    child.on("exit", (code) =>
      settle(new Error(`${job.contender}'s process exited (${code}) before answering.`)),
    );
    child.send(job);
  });
}

/**
 * The child loads TypeScript the way this process does: under `pnpm bench` this process runs in tsx, whose
 * flags carry over; elsewhere (the smoke tests under vitest) the child registers tsx itself and reads the
 * workspace packages from their sources, since they may not be built.
 */
function childExecArgv(): string[] {
  if (process.execArgv.some((arg) => arg.includes("/node_modules/tsx/"))) return process.execArgv;
  return ["--import", "tsx", "--conditions=source"];
}
