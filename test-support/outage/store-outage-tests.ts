import {
  createFetchHandler,
  createOrchestrator,
  foldRun,
  OrchestrateError,
  orchestrate,
  type RunStore,
  type RunView,
  sleep,
  type Worker,
} from "@orchestrator-workers/core";
import { scriptedAggregator, scriptedPlanner } from "@orchestrator-workers/core/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DedicatedServer } from "../servers/server-process.js";

/** A database server the tests own: they stop, pause and restart it. */
export type OutageServer = DedicatedServer;

/** Options for {@link storeOutageTests}. */
export interface StoreOutageTestsOptions<TServer extends OutageServer> {
  /** "Redis", "Postgres": for test names. */
  name: string;
  startServer(): Promise<TServer>;
  /**
   * A fresh store on `server` (its own key prefix or schema) whose calls fail within about `timeoutMs` when the
   * server does not answer.
   */
  openStore(server: TServer, timeoutMs: number): RunStore & { close(): Promise<void> };
  /** Why the suite cannot run here (a server binary is missing): its tests are then reported as skipped. */
  skipReason?: string;
}

/** How long a store call may wait for a server that does not answer, in milliseconds. */
const storeTimeoutMs = 1_000;
/** What "promptly" means for a call while the server is down or hung, in milliseconds. */
const promptMs = 3_000;
/**
 * How long a run may keep executing in memory once its store is gone: its writes are retried a few times
 * (with the client's own reconnect delays in between) before it stops, in milliseconds.
 */
const detachMs = 8_000;
const taskIds = ["t1", "t2", "t3", "t4", "t5", "t6"];

/**
 * Store outages, against a server of the test's own: while it is down or hung, the HTTP API answers 503
 * `STORE_UNAVAILABLE` and `orchestrate()` rejects with it, promptly; a run acknowledged with 202 is never lost:
 * it continues by itself after a short outage and is recovered (`recover()`) after a long one, without running
 * its completed subtasks again.
 */
export function storeOutageTests<TServer extends OutageServer>(
  options: StoreOutageTestsOptions<TServer>,
): void {
  const title = `${options.name} outages${options.skipReason ? ` (skipped: ${options.skipReason})` : ""}`;
  describe.skipIf(options.skipReason !== undefined)(title, () => {
    let server: TServer;
    const opened: Array<{ close(): Promise<void> }> = [];
    beforeAll(async () => {
      server = await options.startServer();
    }, 20_000);
    // A test that failed half-way must not leave the next one with a stopped or paused server.
    beforeEach(async () => {
      server.resume();
      await server.start();
    });
    afterAll(async () => {
      if (!server) return;
      server.resume();
      await server.start();
      for (const resource of opened.reverse()) await resource.close().catch(() => {});
      await server.close();
    });

    /** An orchestrator over a fresh store, its HTTP API, and a count of worker executions per task. */
    function setup(hooks: { afterCreateRun?: () => Promise<void> } = {}) {
      const backing = options.openStore(server, storeTimeoutMs);
      opened.push(backing);
      const store: RunStore = hooks.afterCreateRun
        ? {
            ...backing,
            createRun: async (input) => {
              const created = await backing.createRun(input);
              await hooks.afterCreateRun?.();
              return created;
            },
          }
        : backing;
      const executions = new Map<string, number>();
      const worker: Worker<string> = {
        async run(input) {
          executions.set(input.task.id, (executions.get(input.task.id) ?? 0) + 1);
          await sleep(150, input.signal);
          return { output: `done: ${input.task.id}` };
        },
      };
      const roles = {
        orchestrator: scriptedPlanner(taskIds.map((id) => ({ id, details: `Part ${id}.` }))),
        worker,
        aggregator: scriptedAggregator(),
      };
      const orchestrator = createOrchestrator({
        ...roles,
        store,
        leaseMs: 1_000,
        defaults: { concurrency: 2 },
      });
      opened.push({ close: () => orchestrator.close() });
      const handler = createFetchHandler(orchestrator);
      const request = (path: string, init?: RequestInit) => handler(new Request(`http://test${path}`, init));
      const post = () =>
        request("/", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ prompt: "Write six parts." }),
        });
      const view = async (id: string) => (await (await request(`/${id}`)).json()) as RunView;
      /** GET /:id until `until` holds, calling `recover()` between reads when `recover` is set. */
      const poll = async (
        id: string,
        until: (view: RunView) => boolean,
        recover = false,
        timeoutMs = 15_000,
      ) => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const response = await request(`/${id}`);
          if (response.status === 200) {
            const current = (await response.json()) as RunView;
            if (until(current)) return current;
          }
          if (Date.now() > deadline)
            throw new Error(`Run ${id} did not get there in ${timeoutMs} ms (last ${response.status}).`);
          if (recover) await orchestrator.recover().catch(() => []);
          await sleep(50);
        }
      };
      /**
       * The run as stored, once `until` holds. (`GET` on the instance executing a run also shows events it has
       * not stored yet; a crash can undo those.)
       */
      const pollStored = async (id: string, until: (view: RunView) => boolean) => {
        const deadline = Date.now() + 15_000;
        for (;;) {
          const current = foldRun(id, await store.readEvents(id));
          if (until(current)) return current;
          if (Date.now() > deadline) throw new Error(`Run ${id} was not stored that far in 15 s.`);
          await sleep(20);
        }
      };
      return { store, roles, orchestrator, request, post, view, poll, pollStored, executions };
    }

    it("answers 503 STORE_UNAVAILABLE and rejects orchestrate() promptly while the server is down, and works again once it is back", async () => {
      const { store, roles, request, post, poll } = setup();
      const before = await post();
      expect(before.status).toBe(202);
      const { id } = (await before.json()) as { id: string };
      await poll(id, (view) => view.status === "completed");

      await server.stop();
      const startedAt = Date.now();
      const error = await orchestrate({ ...roles, prompt: "Write six parts.", store }).catch(
        (failure) => failure,
      );
      expect(OrchestrateError.isInstance(error) && error.code).toBe("STORE_UNAVAILABLE");
      expect((error as Error).message).toMatch(new RegExp(`The ${options.name} store is unavailable`));
      expect(Date.now() - startedAt).toBeLessThan(promptMs);

      const requests: Array<[string, RequestInit | undefined]> = [
        ["/", { method: "POST", headers: { "content-type": "application/json" }, body: '{"prompt":"x"}' }],
        ["/", undefined],
        [`/${id}`, undefined],
        [`/${id}/events`, undefined],
        [`/${id}/cancel`, { method: "POST" }],
      ];
      for (const [path, init] of requests) {
        const requestedAt = Date.now();
        const response = await request(path, init);
        expect(response.status, `${init?.method ?? "GET"} ${path}`).toBe(503);
        expect(await response.json()).toEqual({
          error: { code: "STORE_UNAVAILABLE", message: expect.stringContaining("unavailable") },
        });
        expect(Date.now() - requestedAt, `${init?.method ?? "GET"} ${path}`).toBeLessThan(promptMs);
      }

      await server.start();
      expect((await poll(id, () => true)).status).toBe("completed");
      const after = await post();
      expect(after.status).toBe(202);
      const { id: next } = (await after.json()) as { id: string };
      expect((await poll(next, (view) => view.status === "completed")).tasks).toHaveLength(taskIds.length);
    }, 30_000);

    it("never loses a run acknowledged with 202: after an outage mid-run it is recovered, without re-running completed subtasks", async () => {
      const { request, post, view, poll, pollStored, executions } = setup();
      const created = await post();
      expect(created.status).toBe(202);
      const { id } = (await created.json()) as { id: string };
      const beforeOutage = await pollStored(id, (run) =>
        run.tasks.some((task) => task.status === "completed"),
      );

      await server.stop();
      // The run's writes fail, a few retries later it stops here without ending; reads go to the store: 503.
      const detachedBy = Date.now() + detachMs;
      let status = 200;
      while (status !== 503 && Date.now() < detachedBy) {
        status = (await request(`/${id}`)).status;
        await sleep(50);
      }
      expect(status).toBe(503);
      const completedBefore = beforeOutage.tasks
        .filter((task) => task.status === "completed")
        .map((task) => task.id);

      await server.start();
      const stored = await view(id);
      expect(stored).toMatchObject({ id, status: "running" });
      const finished = await poll(id, (run) => run.status === "completed", true);
      expect(finished.tasks.map((task) => task.status)).toEqual(taskIds.map(() => "completed"));
      for (const taskId of completedBefore) expect(executions.get(taskId), `executions of ${taskId}`).toBe(1);
      for (const taskId of taskIds)
        expect(executions.get(taskId), `executions of ${taskId}`).toBeLessThanOrEqual(2);
    }, 30_000);

    it("rides out a short pause: the run continues by itself and no subtask runs twice", async () => {
      const { post, poll, executions } = setup();
      const { id } = (await (await post()).json()) as { id: string };
      await poll(id, (run) => run.tasks.some((task) => task.status === "completed"));
      server.pause();
      await sleep(300);
      server.resume();
      const finished = await poll(id, (run) => run.status === "completed");
      expect(finished.tasks.map((task) => task.status)).toEqual(taskIds.map(() => "completed"));
      for (const taskId of taskIds) expect(executions.get(taskId), `executions of ${taskId}`).toBe(1);
    }, 30_000);

    it("answers 503 instead of hanging while the server is hung, and finishes the run once it answers again", async () => {
      const { request, post, poll, pollStored, executions } = setup();
      const { id } = (await (await post()).json()) as { id: string };
      const beforePause = await pollStored(id, (run) =>
        run.tasks.some((task) => task.status === "completed"),
      );
      server.pause();
      try {
        const requestedAt = Date.now();
        const response = await request("/");
        expect(response.status).toBe(503);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe("STORE_UNAVAILABLE");
        expect(Date.now() - requestedAt).toBeLessThan(storeTimeoutMs + promptMs);
        await sleep(500);
      } finally {
        server.resume();
      }
      const finished = await poll(id, (run) => run.status === "completed", true);
      expect(finished.tasks.map((task) => task.status)).toEqual(taskIds.map(() => "completed"));
      for (const task of beforePause.tasks.filter((candidate) => candidate.status === "completed"))
        expect(executions.get(task.id), `executions of ${task.id}`).toBe(1);
    }, 30_000);

    it("never acknowledges a run it could not store: 503 when the store fails right after creating it, and the same request adopts it once the store is back", async () => {
      let outages = 1;
      const { request, poll } = setup({
        afterCreateRun: async () => {
          if (outages-- > 0) await server.stop();
        },
      });
      const post = () =>
        request("/", {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": "outage-1" },
          body: JSON.stringify({ prompt: "Write six parts." }),
        });
      const startedAt = Date.now();
      const refused = await post();
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("STORE_UNAVAILABLE");
      expect(Date.now() - startedAt).toBeLessThan(detachMs);

      await server.start();
      // The first attempt's lease (1 s) must lapse before a retry may adopt its creation.
      let retried = await post();
      const retryBy = Date.now() + 5_000;
      while (retried.status !== 202 && Date.now() < retryBy) {
        await sleep(200);
        retried = await post();
      }
      expect(retried.status).toBe(202);
      const { id } = (await retried.json()) as { id: string };
      const finished = await poll(id, (run) => run.status === "completed");
      expect(finished.tasks.map((task) => task.status)).toEqual(taskIds.map(() => "completed"));
      expect((await post()).status).toBe(200);
    }, 30_000);
  });
}
