import { once } from "node:events";
import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createOrchestrator,
  type FetchHandlerOptions,
  type Orchestrator,
  type RunEvent,
  type WorkerInput,
} from "@orchestrator-workers/core";
import express from "express";
import { afterEach, describe, expect, it, vi } from "vitest";
import { gatedWorker } from "../../../test-support/http/gated-worker.js";
import { parseSse } from "../../../test-support/http/parse-sse.js";
import { createExpressHandler } from "./create-express-handler.js";

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

function orchestratorFor(worker: (input: WorkerInput) => unknown = (input) => `done ${input.task.id}`) {
  return createOrchestrator({
    orchestrator: {
      plan: () => ({
        tasks: [
          { id: "a", details: "A" },
          { id: "b", details: "B", dependsOn: ["a"] },
        ],
      }),
    },
    worker,
    aggregator: {
      aggregate: async (input) => ({ output: input.results.map((result) => result.output).join(",") }),
    },
  }) as Orchestrator;
}

async function serve(configure: (app: express.Express) => void): Promise<string> {
  const app = express();
  configure(app);
  const server = app.listen(0, "127.0.0.1");
  servers.push(server);
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  body: JSON.stringify(body),
  headers: { "content-type": "application/json", ...headers },
});

async function waitForStatus(url: string, status: string, headers: Record<string, string> = {}) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const view = (await (await fetch(url, { headers })).json()) as { status: string; seq: number };
    if (view.status === status) return view;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`${url} never reached ${status}`);
}

describe.each([
  ["without a body parser", false],
  ["after express.json()", true],
])("createExpressHandler %s", (_label, withJsonParser) => {
  async function mount(
    orchestrator: Orchestrator,
    options: FetchHandlerOptions = {},
    mountPath = "/runs",
  ): Promise<string> {
    return serve((app) => {
      if (withJsonParser) app.use(express.json());
      app.use(mountPath, createExpressHandler(orchestrator, options));
    });
  }

  it("serves every endpoint under its mount path", async () => {
    const base = await mount(orchestratorFor());
    const created = await fetch(`${base}/runs`, json({ prompt: "hello" }));
    expect(created.status).toBe(202);
    const { id, details } = (await created.json()) as {
      id: string;
      details: { status: string; prompt: string };
    };
    expect(created.headers.get("location")).toBe(`/runs/${id}`);
    expect(details.prompt).toBe("hello");
    const view = await waitForStatus(`${base}/runs/${id}`, "completed");
    expect(view).toMatchObject({ id, status: "completed", output: "done a,done b" });
    const list = (await (await fetch(`${base}/runs?limit=5`)).json()) as { runs: Array<{ id: string }> };
    expect(list.runs.map((run) => run.id)).toEqual([id]);
    const cancelled = await fetch(`${base}/runs/${id}/cancel`, { method: "POST" });
    expect(cancelled.status).toBe(202);
    expect(await cancelled.json()).toMatchObject({ id, status: "completed" });
    const events = await fetch(`${base}/runs/${id}/events`);
    expect(events.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const messages = parseSse(await events.text());
    expect(messages[0]).toMatchObject({ id: "1", event: "run-start" });
    expect(messages.at(-1)?.event).toBe("run-end");
  });

  it("keeps the original client contract at the root mount", async () => {
    const base = await mount(orchestratorFor(), {}, "/");
    const created = await fetch(`${base}/`, json({ prompt: "Your task description here" }));
    const { id } = (await created.json()) as { id: string };
    expect(created.headers.get("location")).toBe(`/${id}`);
    expect(await waitForStatus(`${base}/${id}`, "completed")).toHaveProperty("status", "completed");
  });

  it("answers 415 for a wrong content type and 413 for a large body, in the core's format", async () => {
    const base = await mount(orchestratorFor(), { maxBodyBytes: 1024 });
    const wrongType = await fetch(`${base}/runs`, {
      method: "POST",
      body: '{"prompt":"x"}',
      headers: { "content-type": "text/plain" },
    });
    expect(wrongType.status).toBe(415);
    expect(await wrongType.json()).toMatchObject({ error: { code: "UNSUPPORTED_MEDIA_TYPE" } });
    const large = await fetch(`${base}/runs`, json({ prompt: "x".repeat(5000) }));
    expect(large.status).toBe(413);
    expect(await large.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
  });

  it("answers 404 for an unknown run and 405 for a wrong method", async () => {
    const base = await mount(orchestratorFor());
    const unknown = await fetch(`${base}/runs/00000000-0000-0000-0000-000000000000`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "RUN_NOT_FOUND" } });
    const wrong = await fetch(`${base}/runs`, { method: "DELETE" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, POST");
  });

  it("resumes an event stream after Last-Event-ID", async () => {
    const base = await mount(orchestratorFor());
    const { id } = (await (await fetch(`${base}/runs`, json({ prompt: "p" }))).json()) as { id: string };
    await waitForStatus(`${base}/runs/${id}`, "completed");
    const all = parseSse(await (await fetch(`${base}/runs/${id}/events`)).text());
    const resumed = parseSse(
      await (await fetch(`${base}/runs/${id}/events`, { headers: { "last-event-id": "4" } })).text(),
    );
    expect(resumed.map((message) => message.id)).toEqual(all.slice(4).map((message) => message.id));
  });

  it("streams live events as they happen and ends the subscription when the client disconnects", async () => {
    const { release, worker } = gatedWorker();
    const orchestrator = orchestratorFor(worker);
    const returned = vi.fn();
    const signals: AbortSignal[] = [];
    const subscribe = orchestrator.subscribe.bind(orchestrator);
    orchestrator.subscribe = (id, options) => {
      if (options?.signal) signals.push(options.signal);
      const iterable = subscribe(id, options);
      return {
        [Symbol.asyncIterator]: () => {
          const iterator = iterable[Symbol.asyncIterator]();
          return {
            next: () => iterator.next(),
            return: async (value?: unknown) => {
              returned();
              return (await iterator.return?.(value)) ?? { done: true as const, value: undefined };
            },
          } satisfies AsyncIterator<RunEvent>;
        },
      };
    };
    const base = await mount(orchestrator, { heartbeatMs: 20 });
    const { id } = (await (await fetch(`${base}/runs`, json({ prompt: "p" }))).json()) as { id: string };
    const client = new AbortController();
    const response = await fetch(`${base}/runs/${id}/events`, { signal: client.signal });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    // The run is held in task "a": seeing task-start and a heartbeat proves that each write was flushed.
    while (!text.includes("event: task-start") || !text.includes(": heartbeat")) {
      text += decoder.decode((await reader.read()).value);
    }
    client.abort();
    await vi.waitFor(() => {
      expect(signals[0]?.aborted).toBe(true);
      expect(returned).toHaveBeenCalledOnce();
    });
    release();
  });

  it("authenticates and isolates tenants", async () => {
    const base = await mount(orchestratorFor(), {
      authenticate: (request) => {
        const tenant = request.headers.get("x-tenant");
        return tenant ? { tenant } : null;
      },
    });
    expect((await fetch(`${base}/runs`)).status).toBe(401);
    const created = await fetch(`${base}/runs`, json({ prompt: "p" }, { "x-tenant": "a" }));
    const { id } = (await created.json()) as { id: string };
    expect((await fetch(`${base}/runs/${id}`, { headers: { "x-tenant": "a" } })).status).toBe(200);
    expect((await fetch(`${base}/runs/${id}`, { headers: { "x-tenant": "b" } })).status).toBe(404);
    expect((await fetch(`${base}/runs/${id}/events`, { headers: { "x-tenant": "b" } })).status).toBe(404);
    const list = (await (await fetch(`${base}/runs`, { headers: { "x-tenant": "b" } })).json()) as {
      runs: [];
    };
    expect(list.runs).toEqual([]);
  });

  it("returns the same run for the same Idempotency-Key and body, and 409 for another body", async () => {
    const base = await mount(orchestratorFor());
    const key = { "idempotency-key": "order-42" };
    const first = await fetch(`${base}/runs`, json({ prompt: "p", options: { maxSubtasks: 3 } }, key));
    const replay = await fetch(`${base}/runs`, json({ options: { maxSubtasks: 3 }, prompt: "p" }, key));
    const conflict = await fetch(`${base}/runs`, json({ prompt: "q" }, key));
    expect(first.status).toBe(202);
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ error: { code: "IDEMPOTENCY_CONFLICT" } });
  });

  it("works mounted under nested routers", async () => {
    const orchestrator = orchestratorFor();
    const base = await serve((app) => {
      if (withJsonParser) app.use(express.json());
      const api = express.Router();
      api.use("/runs", createExpressHandler(orchestrator));
      app.use("/api/v1", api);
      app.get("/health", (_request, response) => {
        response.send("ok");
      });
    });
    const created = await fetch(`${base}/api/v1/runs/`, json({ prompt: "p" }));
    const { id } = (await created.json()) as { id: string };
    expect(created.headers.get("location")).toBe(`/api/v1/runs/${id}`);
    expect((await fetch(`${base}${created.headers.get("location")}`)).status).toBe(200);
    expect(await (await fetch(`${base}/health`)).text()).toBe("ok");
  });
});

describe("createExpressHandler request bodies", () => {
  it("answers 400 in the core's format for bad JSON", async () => {
    const base = await serve((app) => {
      app.use("/runs", createExpressHandler(orchestratorFor()));
    });
    const response = await fetch(`${base}/runs`, {
      method: "POST",
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "INVALID_ARGUMENT" } });
  });

  it("answers 413 for a streamed body without Content-Length, before it ends", async () => {
    const base = await serve((app) => {
      app.use("/runs", createExpressHandler(orchestratorFor(), { maxBodyBytes: 64 * 1024 }));
    });
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 4 * 1024 * 1024) return controller.close();
        sent += 16 * 1024;
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
      },
    });
    const response = await fetch(`${base}/runs`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
  });

  it("keeps the connection usable after a 413 and after a client that aborts mid-body", async () => {
    const base = await serve((app) => {
      app.use(createExpressHandler(orchestratorFor(), { maxBodyBytes: 1024 }));
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, chunks: string[] = []) =>
      new Promise<{ status: number; body: string; socket: unknown }>((resolve, reject) => {
        const request = http.request(`${base}${path}`, {
          method,
          agent,
          headers: chunks.length > 0 ? { "content-type": "application/json" } : {},
        });
        request.on("response", (response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            body += chunk;
          });
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 0, body, socket: request.socket }),
          );
        });
        request.on("error", reject);
        // Chunked, without Content-Length: the limit is found while reading.
        for (const chunk of chunks) request.write(chunk);
        request.end();
      });
    const tooLarge = await send("POST", "/", [`{"prompt":"${"x".repeat(4000)}`, `${"y".repeat(4000)}"}`]);
    expect(tooLarge.status).toBe(413);
    const next = await send("GET", "/");
    expect(next.status).toBe(200);
    expect(next.socket).toBe(tooLarge.socket);

    // A client that goes away halfway through its body: the server answers the next client as usual.
    const aborted = http.request(`${base}/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    aborted.on("error", () => {});
    aborted.write('{"prompt": "half');
    await new Promise((resolve) => setTimeout(resolve, 20));
    aborted.destroy();
    expect((await fetch(`${base}/`, json({ prompt: "after" }))).status).toBe(202);
    agent.destroy();
  });

  it("re-serializes a body parsed by express.json() and still applies the core's size limit", async () => {
    const base = await serve((app) => {
      app.use(express.json({ limit: "10mb" }));
      app.use(createExpressHandler(orchestratorFor(), { maxBodyBytes: 1000 }));
    });
    expect((await fetch(`${base}/`, json({ prompt: "x".repeat(500) }))).status).toBe(202);
    expect((await fetch(`${base}/`, json({ prompt: "x".repeat(2000) }))).status).toBe(413);
  });
});
