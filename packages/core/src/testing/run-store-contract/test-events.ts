import type { ErrorCode } from "../../errors/error-code.js";
import { OrchestrateError } from "../../errors/orchestrate-error.js";
import { sleep } from "../../run/sleep.js";
import type { PersistedRunEvent } from "../../types/run-event.js";
import type { RunStatus } from "../../types/status.js";

/** A fresh id, unique across test runs and processes. */
export function uniqueId(label: string): string {
  return `${label}-${crypto.randomUUID()}`;
}

/**
 * `count` valid persisted events for `runId` with seqs `from, from + 1, ...`: alternating `task-start` and
 * `task-end`, the latter carrying `output(seq)`. Every event is at `at`.
 */
export function testEvents(
  runId: string,
  options: { from: number; count: number; at?: number; output?: (seq: number) => unknown },
): PersistedRunEvent[] {
  const at = options.at ?? Date.now();
  const events: PersistedRunEvent[] = [];
  for (let seq = options.from; seq < options.from + options.count; seq++) {
    const taskId = `t${Math.ceil(seq / 2)}`;
    events.push(
      seq % 2 === 1
        ? { type: "task-start", runId, seq, at, taskId, attempt: 1 }
        : {
            type: "task-end",
            runId,
            seq,
            at,
            taskId,
            output: options.output ? options.output(seq) : `output of ${taskId}`,
            usage: { inputTokens: seq, outputTokens: 1, totalTokens: seq + 1 },
          },
    );
  }
  return events;
}

/** A `task-end` event for task `taskId` carrying `output`. */
export function taskEndEvent(runId: string, seq: number, taskId: string, output: unknown): PersistedRunEvent {
  const usage = { inputTokens: 1, outputTokens: 1, totalTokens: 2 };
  return { type: "task-end", runId, seq, at: Date.now(), taskId, output, usage };
}

/** The `run-end` event that makes a run final with `status`. */
export function runEndEvent(
  runId: string,
  seq: number,
  status: Extract<RunStatus, "completed" | "failed" | "cancelled">,
  at = Date.now(),
): PersistedRunEvent {
  return {
    type: "run-end",
    runId,
    seq,
    at,
    status,
    usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
  };
}

/** Awaits `promise` and asserts that it rejected with an {@link OrchestrateError} of `code`. */
export async function expectErrorCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  let failure: unknown;
  try {
    await promise;
  } catch (error) {
    failure = error;
  }
  const received = OrchestrateError.isInstance(failure) ? failure.code : undefined;
  if (received !== code) {
    throw new Error(
      `expected an OrchestrateError ${code}, received ${failure === undefined ? "no error" : String(failure)}`,
    );
  }
}

/** Polls `condition` every 10 ms until it holds; throws after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  timeoutMs = 5_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await sleep(10);
  }
}
