import type { RunEvent, RunView } from "@orchestrator-workers/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type DedicatedPostgres,
  initdbPath,
  startDedicatedPostgres,
} from "../../../test-support/servers/dedicated-postgres.js";
import {
  type DedicatedRedis,
  redisServerPath,
  startDedicatedRedis,
} from "../../../test-support/servers/dedicated-redis.js";
import { requiredOrSkipped } from "../../../test-support/servers/required-or-skipped.js";
import { parseSse, pollRun, postPrompt, type SseMessage } from "./http-client.js";
import { startServerProcess, stopAllServers } from "./server-process.js";

// Several `pnpm serve` processes sharing one store, as behind a load balancer. Each store gets a server of the
// test's own: the example server uses the store's default key prefix or schema, which the machine's shared
// Redis and Postgres may hold runs of other processes in, and their recovery loops would take those over.
const stores = [
  {
    name: "Redis",
    missing: redisServerPath ? undefined : "redis-server is not in PATH",
    start: async () => {
      const server: DedicatedRedis = await startDedicatedRedis();
      return { url: server.url, close: () => server.close() };
    },
  },
  {
    name: "Postgres",
    missing: initdbPath ? undefined : "initdb is not in PATH nor under /usr/lib/postgresql/*/bin",
    start: async () => {
      const server: DedicatedPostgres = await startDedicatedPostgres();
      return { url: server.connectionString, close: () => server.close() };
    },
  },
];
for (const store of stores) requiredOrSkipped(store.missing, `the scale-out tests on ${store.name}`);

afterEach(stopAllServers);

describe.each(stores)("two pnpm serve processes sharing one $name store", (store) => {
  let storeUrl = "";
  let closeStore: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (store.missing) return;
    const started = await store.start();
    storeUrl = started.url;
    closeStore = started.close;
  }, 20_000);
  afterAll(() => closeStore?.());

  it.skipIf(store.missing)(
    "serves a run started on the first from the second: live progress over GET and SSE, then the result",
    async () => {
      const environment = { STORE_URL: storeUrl, LATENCY_MS: "600" };
      const [first, second] = await Promise.all([
        startServerProcess(environment),
        startServerProcess(environment),
      ]);
      const created = await postPrompt(first.url, "Compare three ways to cache HTTP responses");
      expect(created.status).toBe(202);
      const { id } = (await created.json()) as { id: string };

      const stream = readEventStream(`${second.url}/${id}/events`);
      const midRun = await pollRun(second.url, id, (view) =>
        view.tasks.some((task) => task.status === "completed"),
      );
      expect(midRun.status).toBe("running");
      const received = await stream;
      const finished = (await (await fetch(`${second.url}/${id}`)).json()) as RunView;

      expect(finished).toMatchObject({ id, status: "completed", phase: "done" });
      expect(finished.tasks.map((task) => task.status)).toEqual(finished.tasks.map(() => "completed"));
      expect(String(finished.output)).toMatch(/^\[scripted\]/);
      const events = received.map((message) => JSON.parse(message.data!) as RunEvent);
      expect(events.map((event) => event.seq)).toEqual(events.map((_event, index) => index + 1));
      expect(events.at(-1)).toMatchObject({ type: "run-end", status: "completed" });
      // Live, not replayed at the end: the second saw the first task end well before the run did.
      const firstTaskEnd = received[events.findIndex((event) => event.type === "task-end")]!;
      expect(received.at(-1)!.receivedAt - firstTaskEnd.receivedAt).toBeGreaterThan(300);
      expect(first.output()).not.toMatch(/recovered 1/);
    },
    30_000,
  );

  it.skipIf(store.missing)(
    "finishes the run on the second when the first is SIGKILLed mid-run, without re-running completed subtasks",
    async () => {
      const environment = { STORE_URL: storeUrl, LATENCY_MS: "1500", LEASE_MS: "1000" };
      const [first, second] = await Promise.all([
        startServerProcess(environment),
        startServerProcess(environment),
      ]);
      const created = await postPrompt(first.url, "Plan a small team offsite");
      expect(created.status).toBe(202);
      const { id } = (await created.json()) as { id: string };

      // The second reads the shared store: what it shows completed is stored, so it survives the kill.
      const beforeKill = await pollRun(second.url, id, (view) =>
        view.tasks.some((task) => task.status === "completed"),
      );
      expect(await first.stop("SIGKILL")).toEqual({ code: null, signal: "SIGKILL" });
      expect(beforeKill.status).toBe("running");
      const completedBeforeKill = beforeKill.tasks.filter((task) => task.status === "completed");
      expect(completedBeforeKill.length).toBeLessThan(beforeKill.tasks.length);

      const finished = await pollRun(second.url, id, (view) => view.status === "completed", 20_000);
      expect(second.output()).toMatch(new RegExp(`recovered 1 run\\(s\\) of a stopped server: ${id}`));
      expect(finished.tasks.map((task) => task.id)).toEqual(beforeKill.tasks.map((task) => task.id));
      expect(finished.tasks.map((task) => task.status)).toEqual(finished.tasks.map(() => "completed"));

      const events = parseSse(await (await fetch(`${second.url}/${id}/events`)).text()).map(
        (message) => JSON.parse(message.data!) as RunEvent,
      );
      for (const task of completedBeforeKill) {
        const starts = events.filter((event) => event.type === "task-start" && event.taskId === task.id);
        expect(starts, `task-start events of ${task.id}`).toHaveLength(1);
      }
      expect(events.filter((event) => event.type === "plan-end")).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({ type: "run-end", status: "completed" });
    },
    30_000,
  );
});

/** Reads an SSE stream to its end, noting when each message arrived. */
async function readEventStream(url: string): Promise<Array<SseMessage & { receivedAt: number }>> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const messages: Array<SseMessage & { receivedAt: number }> = [];
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of response.body!) {
    buffered += decoder.decode(chunk, { stream: true });
    const end = buffered.lastIndexOf("\n\n");
    if (end < 0) continue;
    const receivedAt = Date.now();
    for (const message of parseSse(buffered.slice(0, end + 2))) messages.push({ ...message, receivedAt });
    buffered = buffered.slice(end + 2);
  }
  return messages;
}
