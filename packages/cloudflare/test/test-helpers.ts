import { env } from "cloudflare:workers";
import type { PersistedRunEvent, RunView } from "@orchestrator-workers/core";
import { foldRun } from "@orchestrator-workers/core";
import { parseSse, type SseMessage } from "../../../test-support/http/parse-sse.js";
import { d1Store } from "../src/index.js";
import type { TestEnv } from "./test-worker.js";

/** The test Worker's bindings. */
export const testEnv = env as unknown as TestEnv;

/** The store the test Workflow writes to. */
export const testStore = d1Store(testEnv.DB);

/** A fresh instance id. */
export function newRunId(): string {
  return crypto.randomUUID();
}

/** The stored events of a run. */
export async function storedEvents(runId: string): Promise<PersistedRunEvent[]> {
  await testStore.setup();
  return testStore.readEvents(runId);
}

/** The run's view, folded from the store. */
export async function storedView(runId: string): Promise<RunView> {
  return foldRun(runId, await storedEvents(runId));
}

/** How often each task's worker was called in a run: task id → attempts it was called with. */
export async function workerCalls(runId: string): Promise<Record<string, number[]>> {
  await testEnv.DB.prepare(
    "CREATE TABLE IF NOT EXISTS test_worker_calls (run_id TEXT, task_id TEXT, attempt INTEGER)",
  ).run();
  const { results } = await testEnv.DB.prepare(
    "SELECT task_id, attempt FROM test_worker_calls WHERE run_id = ?1 ORDER BY rowid",
  )
    .bind(runId)
    .all<{ task_id: string; attempt: number }>();
  const calls: Record<string, number[]> = {};
  for (const row of results) {
    calls[row.task_id] = [...(calls[row.task_id] ?? []), row.attempt];
  }
  return calls;
}

/** Polls until `check` answers something other than `undefined`, or fails after `timeoutMs`. */
export async function eventually<TValue>(
  check: () => Promise<TValue | undefined>,
  timeoutMs = 10_000,
  what = "a condition",
): Promise<TValue> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Reads an SSE body to its end (or until `timeoutMs`) and parses its messages; comments are dropped. */
export async function readSse(response: Response, timeoutMs = 10_000): Promise<SseMessage[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error("SSE stream did not end in time")),
          Math.max(1, deadline - Date.now()),
        ),
      ),
    ]);
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  return parseSse(text);
}
