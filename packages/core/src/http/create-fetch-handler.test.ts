import { describe, expect, it, vi } from "vitest";
import { gatedWorker } from "../../../../test-support/http/gated-worker.js";
import { parseSse } from "../../../../test-support/http/parse-sse.js";
import { OrchestrateError } from "../errors/orchestrate-error.js";
import { createOrchestrator } from "../orchestrator/create-orchestrator.js";
import type { Orchestrator } from "../orchestrator/orchestrator.js";
import type { WorkerInput } from "../roles/worker.js";
import { memoryStore } from "../store/memory-store.js";
import type { RunStore } from "../store/run-store.js";
import { createFetchHandler } from "./create-fetch-handler.js";
import type { FetchHandlerOptions } from "./fetch-handler-options.js";

function setup(
  options: FetchHandlerOptions = {},
  setupOptions: { worker?: (input: WorkerInput) => unknown; store?: RunStore } = {},
) {
  const orchestrator = createOrchestrator({
    orchestrator: {
      plan: () => ({
        tasks: [
          { id: "a", details: "A" },
          { id: "b", details: "B", dependsOn: ["a"] },
        ],
      }),
    },
    worker: setupOptions.worker ?? ((input: WorkerInput) => `done ${input.task.id}`),
    aggregator: {
      aggregate: async (input) => ({ output: input.results.map((result) => result.output).join(",") }),
    },
    store: setupOptions.store ?? memoryStore(),
  });
  const handler = createFetchHandler(orchestrator as Orchestrator, options);
  const call = (path: string, init?: RequestInit) => handler(new Request(`http://test${path}`, init));
  const create = async (body: unknown = { prompt: "hello" }, headers: Record<string, string> = {}) => {
    const response = await call(options.basePath ?? "/", {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json", ...headers },
    });
    return { response, body: (await response.json()) as { id: string; details: Record<string, unknown> } };
  };
  const waitForStatus = async (id: string, status: string, headers: Record<string, string> = {}) => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const view = (await (await call(`${options.basePath ?? ""}/${id}`, { headers })).json()) as {
        status: string;
      };
      if (view.status === status) return view;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`run ${id} never reached ${status}`);
  };
  return { orchestrator, handler, call, create, waitForStatus };
}

async function errorOf(response: Response) {
  expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(Object.keys(body.error).sort()).toEqual(["code", "message"]);
  return { status: response.status, ...body.error };
}

describe("createFetchHandler", () => {
  it("POST / answers 202 {id, details} with Location, and GET /:id the run view (the original API)", async () => {
    const { create, call, waitForStatus } = setup();
    const { response, body } = await create();
    expect(response.status).toBe(202);
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get("location")).toBe(`/${body.id}`);
    expect(body.details).toMatchObject({ id: body.id, prompt: "hello" });
    expect(["queued", "running", "completed"]).toContain(body.details.status);
    const view = await waitForStatus(body.id, "completed");
    expect(view).toMatchObject({ id: body.id, status: "completed", phase: "done", output: "done a,done b" });
    const get = await call(`/${body.id}`);
    expect(get.status).toBe(200);
    expect(get.headers.get("cache-control")).toBe("no-store");
  });

  it("GET / lists runs newest first, paged by cursor and filtered by status", async () => {
    const { create, call, waitForStatus } = setup();
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      ids.push((await create({ prompt: `p${index}` })).body.id);
      // Distinct creation times, so "newest first" has one answer.
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    for (const id of ids) await waitForStatus(id, "completed");
    const first = await call("/?limit=2");
    expect(first.status).toBe(200);
    const page = (await first.json()) as { runs: Array<{ id: string }>; nextCursor?: string };
    expect(page.runs.map((run) => run.id)).toEqual([ids[2], ids[1]]);
    expect(page.nextCursor).toBeTypeOf("string");
    const second = (await (await call(`/?limit=2&cursor=${page.nextCursor}`)).json()) as typeof page;
    expect(second.runs.map((run) => run.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeUndefined();
    const filtered = (await (await call("/?status=failed,cancelled")).json()) as typeof page;
    expect(filtered.runs).toEqual([]);
    const completed = (await (await call("/?status=completed&status=running")).json()) as typeof page;
    expect(completed.runs).toHaveLength(3);
  });

  it.each([
    ["/?limit=0", "limit"],
    ["/?limit=101", "limit"],
    ["/?limit=ten", "limit"],
    ["/?status=done", "status"],
    ["/?cursor=", "cursor"],
    ["/?cursor=not-a-cursor", "cursor"],
  ])("GET %s is 400 naming %s", async (path, option) => {
    const { call } = setup();
    const error = await errorOf(await call(path));
    expect(error).toMatchObject({ status: 400, code: "INVALID_ARGUMENT" });
    expect(error.message).toContain(option);
  });

  it("POST /:id/cancel answers 202 with the cancelled run", async () => {
    const { worker } = gatedWorker();
    const { create, call } = setup({}, { worker });
    const { body } = await create();
    const response = await call(`/${body.id}/cancel`, { method: "POST" });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ id: body.id, status: "cancelled" });
  });

  it("GET /:id/events replays a finished run and ends after run-end", async () => {
    const { create, call, waitForStatus } = setup();
    const { body } = await create();
    await waitForStatus(body.id, "completed");
    const response = await call(`/${body.id}/events`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const messages = parseSse(await response.text());
    expect(messages[0]).toMatchObject({ id: "1", event: "run-start" });
    expect(messages.at(-1)?.event).toBe("run-end");
    expect(messages.map((message) => Number(message.id))).toEqual(messages.map((_, index) => index + 1));
    for (const message of messages) expect(JSON.parse(message.data!).type).toBe(message.event);
  });

  it("GET /:id/events resumes after Last-Event-ID (over ?after=) and answers 204 once nothing is left", async () => {
    const { create, call, waitForStatus } = setup();
    const { body } = await create();
    const view = (await waitForStatus(body.id, "completed")) as unknown as { seq: number };
    const resumed = parseSse(
      await (await call(`/${body.id}/events?after=1`, { headers: { "last-event-id": "5" } })).text(),
    );
    expect(resumed[0]?.id).toBe("6");
    const byQuery = parseSse(await (await call(`/${body.id}/events?after=3`)).text());
    expect(byQuery[0]?.id).toBe("4");
    const done = await call(`/${body.id}/events`, { headers: { "last-event-id": String(view.seq) } });
    expect(done.status).toBe(204);
    const invalid = await errorOf(await call(`/${body.id}/events`, { headers: { "last-event-id": "abc" } }));
    expect(invalid).toMatchObject({ status: 400, code: "INVALID_ARGUMENT" });
  });

  it("GET /:id/events tails a live run and ends the subscription when the client goes away", async () => {
    const { release, worker } = gatedWorker();
    const { create, handler, orchestrator } = setup({ heartbeatMs: 10 }, { worker });
    const subscribe = vi.spyOn(orchestrator, "subscribe");
    const { body } = await create();
    const client = new AbortController();
    const response = await handler(new Request(`http://test/${body.id}/events`, { signal: client.signal }));
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes("task-start") || !text.includes(": heartbeat")) {
      text += decoder.decode((await reader.read()).value);
    }
    client.abort();
    for (;;) if ((await reader.read()).done) break;
    const signal = subscribe.mock.calls[0]?.[1]?.signal;
    expect(signal?.aborted).toBe(true);
    release();
  });

  it("answers errors as {error: {code, message}} with the code's status", async () => {
    const { call, create } = setup({ maxBodyBytes: 64 });
    const post = (body: BodyInit, contentType = "application/json") =>
      call("/", { method: "POST", body, headers: { "content-type": contentType } });
    expect(await errorOf(await call("/00000000-0000-0000-0000-000000000000"))).toMatchObject({
      status: 404,
      code: "RUN_NOT_FOUND",
    });
    expect(await errorOf(await call("/%00junk"))).toMatchObject({ status: 404, code: "RUN_NOT_FOUND" });
    expect(await errorOf(await call("/a/b/c"))).toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect(await errorOf(await post("{nope"))).toMatchObject({ status: 400, code: "INVALID_ARGUMENT" });
    expect(await errorOf(await post('{"prompt": 1}'))).toMatchObject({
      status: 400,
      code: "INVALID_ARGUMENT",
    });
    expect(await errorOf(await post('{"prompt":"x"}', "text/plain"))).toMatchObject({
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
    });
    expect(await errorOf(await post(JSON.stringify({ prompt: "x".repeat(100) })))).toMatchObject({
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
    });
    const deleted = await call("/", { method: "DELETE" });
    expect(deleted.headers.get("allow")).toBe("GET, POST");
    expect(await errorOf(deleted)).toMatchObject({ status: 405, code: "METHOD_NOT_ALLOWED" });
    const { body } = await create();
    const getCancel = await call(`/${body.id}/cancel`);
    expect(getCancel.headers.get("allow")).toBe("POST");
    expect(getCancel.status).toBe(405);
  });

  it("rejects client options beyond the server's caps", async () => {
    const { create } = setup({ limits: { concurrency: 2 } });
    const { response, body } = await create({ prompt: "p", options: { concurrency: 3 } });
    expect(response.status).toBe(400);
    expect(body).toEqual({
      error: {
        code: "INVALID_ARGUMENT",
        message:
          'Invalid option "options.concurrency": expected an integer from 1 to 2 (this server\'s cap), received number 3.',
      },
    });
    expect((await create({ prompt: "p", options: { concurrency: 2, maxSubtasks: 5 } })).response.status).toBe(
      202,
    );
  });

  it("authenticates every request and scopes runs to their tenant", async () => {
    const { create, call, waitForStatus } = setup({
      authenticate: (request) => {
        const token = request.headers.get("authorization");
        return token === "Bearer a" ? { tenant: "a" } : token === "Bearer b" ? { tenant: "b" } : null;
      },
    });
    const asA = { authorization: "Bearer a" };
    const asB = { authorization: "Bearer b" };
    expect(await errorOf(await call("/"))).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    expect((await create({ prompt: "p" })).response.status).toBe(401);
    const { body } = await create({ prompt: "p" }, asA);
    expect(body.details.tenant).toBe("a");
    await waitForStatus(body.id, "completed", asA);
    for (const [path, method] of [
      [`/${body.id}`, "GET"],
      [`/${body.id}/events`, "GET"],
      [`/${body.id}/cancel`, "POST"],
    ] as const) {
      expect(await errorOf(await call(path, { method, headers: asB }))).toMatchObject({
        status: 404,
        code: "RUN_NOT_FOUND",
      });
    }
    const listB = (await (await call("/", { headers: asB })).json()) as { runs: unknown[] };
    expect(listB.runs).toEqual([]);
    const listA = (await (await call("/", { headers: asA })).json()) as { runs: Array<{ id: string }> };
    expect(listA.runs.map((run) => run.id)).toEqual([body.id]);
  });

  it("answers 403 when authenticate throws FORBIDDEN", async () => {
    const { call } = setup({
      authenticate: () => {
        throw new OrchestrateError({ code: "FORBIDDEN", message: "Not for you." });
      },
    });
    expect(await errorOf(await call("/"))).toEqual({
      status: 403,
      code: "FORBIDDEN",
      message: "Not for you.",
    });
  });

  it("creates one run per Idempotency-Key: same body replays, another body conflicts", async () => {
    const { create, call } = setup({
      authenticate: (request) => ({ tenant: request.headers.get("x-tenant") ?? "t" }),
    });
    const key = { "idempotency-key": "key-1" };
    const first = await create({ prompt: "p", options: { concurrency: 2 } }, key);
    expect(first.response.status).toBe(202);
    const replay = await create({ options: { concurrency: 2 }, prompt: "p" }, key);
    expect(replay.response.status).toBe(200);
    expect(replay.body.id).toBe(first.body.id);
    expect(replay.response.headers.get("location")).toBe(`/${first.body.id}`);
    const conflict = await create({ prompt: "other" }, key);
    expect(conflict.response.status).toBe(409);
    expect(conflict.body).toMatchObject({ error: { code: "IDEMPOTENCY_CONFLICT" } });
    const otherTenant = await create(
      { prompt: "p", options: { concurrency: 2 } },
      { ...key, "x-tenant": "u" },
    );
    expect(otherTenant.response.status).toBe(202);
    expect(otherTenant.body.id).not.toBe(first.body.id);
    const runs = (await (await call("/")).json()) as { runs: unknown[] };
    expect(runs.runs).toHaveLength(1);
    const invalid = await create({ prompt: "p" }, { "idempotency-key": "x".repeat(256) });
    expect(invalid.response.status).toBe(400);
  });

  it("serves under basePath and nothing outside it", async () => {
    const { create, call } = setup({ basePath: "/api/runs/" });
    const { response, body } = await create();
    expect(response.status).toBe(202);
    expect(response.headers.get("location")).toBe(`/api/runs/${body.id}`);
    expect((await call(`/api/runs/${body.id}`)).status).toBe(200);
    expect(await errorOf(await call(`/${body.id}`))).toMatchObject({ status: 404, code: "NOT_FOUND" });
  });

  it("answers 503 with a generic message when the store is unavailable", async () => {
    const store = memoryStore();
    const broken: RunStore = {
      ...store,
      readEvents: async () => {
        throw new OrchestrateError({
          code: "STORE_UNAVAILABLE",
          message: "connect ECONNREFUSED redis://:secret@db",
        });
      },
      listRuns: async () => {
        throw new OrchestrateError({
          code: "STORE_UNAVAILABLE",
          message: "connect ECONNREFUSED redis://:secret@db",
        });
      },
    };
    const onError = vi.fn();
    const { call } = setup({ onError }, { store: broken });
    for (const path of ["/", "/some-run"]) {
      expect(await errorOf(await call(path))).toEqual({
        status: 503,
        code: "STORE_UNAVAILABLE",
        message: "The run store is unavailable. Try again later.",
      });
    }
    expect(onError).toHaveBeenCalledTimes(2);
  });

  it("answers 500 INTERNAL with a generic message for an unexpected error, and reports it", async () => {
    const { orchestrator } = setup();
    vi.spyOn(orchestrator, "get").mockRejectedValue(new Error("secret internals at /srv/app.js:12"));
    const onError = vi.fn();
    const handler = createFetchHandler(orchestrator as Orchestrator, { onError });
    const response = await handler(new Request("http://test/some-run"));
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ error: { code: "INTERNAL", message: "Internal server error." } });
    expect(text).not.toContain("secret");
    expect(onError).toHaveBeenCalledOnce();
  });

  it("validates its options at creation", () => {
    const { orchestrator } = setup();
    for (const options of [
      { maxBodyBytes: 0 },
      { maxPromptChars: 1.5 },
      { basePath: "runs" },
      { heartbeatMs: -1 },
      { limits: { maxSubtasks: 5000 } },
      { clientOptions: ["retry"] },
    ]) {
      expect(() => createFetchHandler(orchestrator as Orchestrator, options as FetchHandlerOptions)).toThrow(
        expect.objectContaining({ code: "INVALID_ARGUMENT" }),
      );
    }
  });
});
