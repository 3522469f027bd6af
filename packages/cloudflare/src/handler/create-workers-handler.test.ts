import { introspectWorkflowInstance } from "cloudflare:test";
import type { RunView } from "@orchestrator-workers/core";
import { describe, expect, it } from "vitest";
import { eventually, readSse, storedView, testEnv, testStore, workerCalls } from "../../test/test-helpers.js";
import worker from "../../test/test-worker.js";
import { d1Store } from "../d1/d1-store.js";
import { createWorkersHandler } from "./create-workers-handler.js";

const base = "http://worker.test";

function call(path: string, init: RequestInit = {}): Promise<Response> {
  return worker.fetch(new Request(`${base}${path}`, init), testEnv);
}

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function startRun(prompt: string | object, headers: Record<string, string> = {}) {
  const response = await post(
    "/",
    { prompt: typeof prompt === "string" ? prompt : JSON.stringify(prompt) },
    headers,
  );
  expect(response.status).toBe(202);
  return (await response.json()) as { id: string; details: RunView };
}

async function waitForStatus(id: string, statuses: string[], timeoutMs = 10_000): Promise<RunView> {
  return eventually(
    async () => {
      const view = (await (await call(`/${id}`)).json()) as RunView;
      return statuses.includes(view.status) ? view : undefined;
    },
    timeoutMs,
    `run ${id} to be ${statuses.join(" or ")}`,
  );
}

describe("createWorkersHandler: the original clients' flow", () => {
  it("POST / answers 202 {id, details} with Location; GET /:id answers {status} until completed", async () => {
    const response = await post("/", { prompt: "Your task description here" });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { id: string; details: RunView };
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get("location")).toBe(`/${body.id}`);
    expect(body.details).toMatchObject({
      id: body.id,
      status: expect.stringMatching(/queued|running/),
      tasks: expect.any(Array),
    });

    const view = await waitForStatus(body.id, ["completed"]);
    expect(view).toMatchObject({
      id: body.id,
      status: "completed",
      phase: "done",
      prompt: "Your task description here",
    });
    expect(view.output).toBe("a=a done, b=b done, c=c done after a done");
    expect(view.tasks).toHaveLength(3);
  });
});

describe("createWorkersHandler: the HTTP API", () => {
  it("streams a run's events as SSE until run-end, and resumes after Last-Event-ID", async () => {
    const { id } = await startRun("Stream me");
    const response = await call(`/${id}/events`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const messages = await readSse(response);
    const types = messages.map((message) => message.event);
    expect(types[0]).toBe("run-start");
    expect(types.at(-1)).toBe("run-end");
    expect(types).toContain("task-end");
    expect(messages.map((message) => Number(message.id))).toEqual(messages.map((_, index) => index + 1));
    const last = JSON.parse(messages.at(-1)!.data!) as { status: string; runId: string };
    expect(last).toMatchObject({ status: "completed", runId: id });

    const resumed = await readSse(await call(`/${id}/events`, { headers: { "last-event-id": "3" } }));
    expect(resumed.map((message) => Number(message.id))).toEqual(
      messages.slice(3).map((message) => Number(message.id)),
    );
    // Nothing after the end: 204 tells a reconnecting EventSource to stop.
    expect(
      (await call(`/${id}/events`, { headers: { "last-event-id": String(messages.length) } })).status,
    ).toBe(204);
  });

  it("lists runs newest first, paged by cursor", async () => {
    const first = await startRun("list one");
    const second = await startRun("list two");
    const page = (await (await call("/?limit=1")).json()) as {
      runs: Array<{ id: string; status: string }>;
      nextCursor?: string;
    };
    expect(page.runs).toHaveLength(1);
    expect(page.runs[0]!.id).toBe(second.id);
    expect(page.nextCursor).toEqual(expect.any(String));
    const next = (await (await call(`/?limit=1&cursor=${page.nextCursor}`)).json()) as {
      runs: Array<{ id: string }>;
    };
    expect(next.runs[0]!.id).toBe(first.id);
    await waitForStatus(first.id, ["completed"]);
    await waitForStatus(second.id, ["completed"]);
  });

  it("returns the same run for a replayed Idempotency-Key, and 409 for the same key with another body", async () => {
    const key = crypto.randomUUID();
    const created = await startRun("idempotent", { "idempotency-key": key });
    const replay = await post("/", { prompt: "idempotent" }, { "idempotency-key": key });
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { id: string }).id).toBe(created.id);
    const conflict = await post("/", { prompt: "something else" }, { "idempotency-key": key });
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ error: { code: "IDEMPOTENCY_CONFLICT" } });
    await waitForStatus(created.id, ["completed"]);
    expect(Object.keys(await workerCalls(created.id))).toHaveLength(3);
  });

  it("answers errors as {error: {code, message}}: 400, 404, 405, 413, 415", async () => {
    const cases: Array<[Promise<Response>, number, string]> = [
      [post("/", "{not json"), 400, "INVALID_ARGUMENT"],
      [post("/", { prompt: "" }), 400, "INVALID_ARGUMENT"],
      [post("/", { prompt: "x", options: { concurrency: 99 } }), 400, "INVALID_ARGUMENT"],
      [call("/not-a-run"), 404, "RUN_NOT_FOUND"],
      [call(`/${crypto.randomUUID()}/events`), 404, "RUN_NOT_FOUND"],
      [post(`/${crypto.randomUUID()}/cancel`, {}), 404, "RUN_NOT_FOUND"],
      [call("/a/b/c"), 404, "NOT_FOUND"],
      [call("/", { method: "DELETE" }), 405, "METHOD_NOT_ALLOWED"],
      [post("/", { prompt: "x".repeat(1_100_000) }), 413, "PAYLOAD_TOO_LARGE"],
      [
        call("/", { method: "POST", headers: { "content-type": "text/plain" }, body: "prompt" }),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
      ],
    ];
    for (const [request, status, code] of cases) {
      const response = await request;
      expect(response.status, code).toBe(status);
      expect(await response.json()).toEqual({ error: { code, message: expect.any(String) } });
    }
  });

  it("scopes runs to the tenant authenticate() answers: another tenant's run is 404", async () => {
    const handler = createWorkersHandler({
      workflow: (env: typeof testEnv) => env.ORCHESTRATOR,
      store: (env) => d1Store(env.DB),
      authenticate: (request) => {
        const tenant = request.headers.get("x-tenant");
        return tenant ? { tenant } : null;
      },
    });
    const as = (tenant: string | undefined, path: string, init: RequestInit = {}) =>
      handler.fetch(
        new Request(`${base}${path}`, {
          ...init,
          headers: { ...(tenant ? { "x-tenant": tenant } : {}), ...init.headers },
        }),
        testEnv,
      );
    expect((await as(undefined, "/")).status).toBe(401);
    const created = await as("acme", "/", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ prompt: "tenant run" }),
    });
    const { id } = (await created.json()) as { id: string };
    expect((await as("acme", `/${id}`)).status).toBe(200);
    expect((await as("globex", `/${id}`)).status).toBe(404);
    const listed = (await (await as("globex", "/")).json()) as { runs: Array<{ id: string }> };
    expect(listed.runs.map((run) => run.id)).not.toContain(id);
    await eventually(async () => ((await storedView(id)).status === "completed" ? true : undefined));
  });
});

describe("createWorkersHandler: cancellation", () => {
  it("POST /:id/cancel terminates the Workflow instance and ends the run cancelled", async () => {
    const { id } = await startRun({ tasks: [{ id: "slow" }], delayMs: { slow: 60_000 } });
    await using instance = await introspectWorkflowInstance(testEnv.ORCHESTRATOR, id);
    await eventually(
      async () => ((await workerCalls(id)).slow ? true : undefined),
      10_000,
      "the slow task to start",
    );
    const response = await post(`/${id}/cancel`, {});
    expect(response.status).toBe(202);
    const view = (await response.json()) as RunView;
    expect(view).toMatchObject({ id, status: "cancelled", error: { code: "CANCELLED" } });
    expect(view.tasks[0]).toMatchObject({ id: "slow", status: "cancelled" });
    await instance.waitForStatus("terminated");
    // Cancelling a finished run changes nothing.
    const again = await post(`/${id}/cancel`, {});
    expect(again.status).toBe(202);
    expect(((await again.json()) as RunView).status).toBe("cancelled");
    expect((await storedView(id)).status).toBe("cancelled");
  });
});

describe("createWorkersHandler: the instance is the source of truth for liveness", () => {
  const brokenHandler = createWorkersHandler({
    workflow: (env: typeof testEnv) => env.BROKEN,
    store: (env) => d1Store(env.DB),
    pollIntervalMs: 20,
    reconcileIntervalMs: 100,
  });
  const callBroken = (path: string) => brokenHandler.fetch(new Request(`${base}${path}`), testEnv);

  /** Makes the log say the run is running, as if its Workflow had started it. */
  async function markRunning(id: string) {
    const record = (await testStore.getRun(id))!;
    await testStore.append({
      runId: id,
      expectedSeq: record.lastSeq,
      status: "running",
      events: [
        {
          type: "run-start",
          runId: id,
          seq: record.lastSeq + 1,
          at: Date.now(),
          prompt: "a run whose instance dies",
          options: {
            concurrency: 1,
            maxSubtasks: 1,
            failurePolicy: "settle",
            retry: { attempts: 1, initialDelayMs: 0, maxDelayMs: 0, factor: 1, jitter: false },
            timeouts: {},
            budget: {},
          },
        },
      ],
    });
  }

  it("reports failed when the log says running but the instance errored, and ends the log", async () => {
    const response = await brokenHandler.fetch(
      new Request(base, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ prompt: "doomed" }),
      }),
      testEnv,
    );
    const { id } = (await response.json()) as { id: string };
    await using instance = await introspectWorkflowInstance(testEnv.BROKEN, id);
    await instance.waitForStatus("errored");
    await markRunning(id);
    expect((await storedView(id)).status).toBe("running");

    const view = (await (await callBroken(`/${id}`)).json()) as RunView;
    expect(view).toMatchObject({ status: "failed", phase: "done", error: { code: "INTERNAL" } });
    expect(view.error?.message).toMatch(/errored: the instance crashed/);
    expect((await storedView(id)).status).toBe("failed");
    const listed = (await (await callBroken("/?limit=100")).json()) as {
      runs: Array<{ id: string; status: string }>;
    };
    expect(listed.runs.find((run) => run.id === id)?.status).toBe("failed");
  });

  it("reports cancelled when the instance was terminated behind the log's back, and ends SSE streams", async () => {
    const { id } = await startRun({ tasks: [{ id: "slow" }], delayMs: { slow: 60_000 } });
    await eventually(
      async () => ((await workerCalls(id)).slow ? true : undefined),
      10_000,
      "the slow task to start",
    );
    const stream = call(`/${id}/events`);
    await (await testEnv.ORCHESTRATOR.get(id)).terminate();
    const messages = await readSse(await stream);
    expect(messages.at(-1)?.event).toBe("run-end");
    expect(JSON.parse(messages.at(-1)!.data!)).toMatchObject({
      status: "cancelled",
      error: { code: "CANCELLED" },
    });
    expect(((await (await call(`/${id}`)).json()) as RunView).status).toBe("cancelled");
  });

  it("reports failed for a running log without any instance, and trusts a final log without asking", async () => {
    const orphan = crypto.randomUUID();
    await testStore.createRun({ id: orphan, createdAt: Date.now() });
    await markRunning(orphan);
    const view = (await (await call(`/${orphan}`)).json()) as RunView;
    expect(view).toMatchObject({ status: "failed", error: { code: "INTERNAL" } });
    expect(view.error?.message).toMatch(/has no Workflow instance/);
    // The log is now final: it is answered as is, with no instance to ask.
    expect(((await (await call(`/${orphan}`)).json()) as RunView).status).toBe("failed");
  });
});
