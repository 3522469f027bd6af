import { describe, expect, it, vi } from "vitest";
import { createOrchestrator } from "../orchestrator/create-orchestrator.js";
import type { Orchestrator } from "../orchestrator/orchestrator.js";
import { createHttpHandler } from "./create-http-handler.js";
import type { HttpRequest } from "./http-exchange.js";

function orchestrator(): Orchestrator {
  return createOrchestrator({
    orchestrator: { plan: () => ({ tasks: ["one"] }) },
    worker: () => "done",
    aggregator: { aggregate: async () => ({ output: "all done" }) },
  }) as Orchestrator;
}

/** An HttpRequest with no web objects at all, as a server adapter makes one. */
function request(
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string>; tooLarge?: boolean } = {},
): HttpRequest & { webRequests: number } {
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  const made = {
    webRequests: 0,
    method,
    url: `http://localhost${path}`,
    header: (name: string) => headers[name] ?? null,
    signal: new AbortController().signal,
    readBody: async () => (options.tooLarge ? undefined : new TextEncoder().encode(options.body ?? "")),
    toRequest: () => {
      made.webRequests++;
      return new Request(`http://localhost${path}`, { method });
    },
  };
  return made;
}

describe("createHttpHandler", () => {
  it("answers the API with plain answers, building no web Request unless a callback needs one", async () => {
    const handle = createHttpHandler(orchestrator());
    const post = request("POST", "/", { body: JSON.stringify({ prompt: "hi" }) });
    const created = await handle(post);
    expect(created.status).toBe(202);
    expect(typeof created.body).toBe("string");
    const { id } = JSON.parse(created.body as string) as { id: string };
    expect(created.headers).toMatchObject({
      "content-type": "application/json; charset=utf-8",
      location: `/${id}`,
    });
    const get = request("GET", `/${id}`);
    const read = await handle(get);
    expect(read.status).toBe(200);
    expect(JSON.parse(read.body as string)).toMatchObject({ id });
    expect(post.webRequests).toBe(0);
    expect(get.webRequests).toBe(0);
  });

  it("answers 413 when the request reports its body too large, and 404 for unknown routes", async () => {
    const handle = createHttpHandler(orchestrator());
    const tooLarge = await handle(request("POST", "/", { tooLarge: true }));
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body as string)).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    const missing = await handle(request("GET", "/a/b/c/d"));
    expect(missing.status).toBe(404);
  });

  it("hands authenticate the web Request it builds on demand", async () => {
    const handle = createHttpHandler(orchestrator(), {
      authenticate: (web) => (web.method === "GET" ? { tenant: "t" } : null),
    });
    const get = request("GET", "/");
    expect((await handle(get)).status).toBe(200);
    expect(get.webRequests).toBe(1);
    expect((await handle(request("POST", "/", { body: "{}" }))).status).toBe(401);
  });

  it("still answers 500 when the onError callback itself throws", async () => {
    const failing = {
      list: async () => {
        throw new Error("the database is on fire");
      },
    } as unknown as Orchestrator;
    const seen: unknown[] = [];
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    const handle = createHttpHandler(failing, {
      onError: (error) => {
        seen.push(error);
        throw new Error("the logger is on fire too");
      },
    });
    const answer = await handle(request("GET", "/"));
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body as string)).toEqual({
      error: { code: "INTERNAL", message: "Internal server error." },
    });
    expect(seen).toHaveLength(1);
    expect(quiet).toHaveBeenCalledWith("orchestrator-workers: onError threw", expect.any(Error));
    quiet.mockRestore();
  });
});
