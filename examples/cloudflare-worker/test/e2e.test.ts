import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentError, startWranglerDev, type WranglerDev } from "./start-wrangler-dev.js";

interface RunView {
  id: string;
  status: string;
  phase: string;
  prompt: string;
  tasks: Array<{ id: string; status: string; output?: unknown }>;
  output?: unknown;
  usage: { totalTokens: number };
}

let server: WranglerDev | undefined;
let skipReason: string | undefined;

beforeAll(async () => {
  try {
    server = await startWranglerDev();
  } catch (error) {
    // In CI the Worker end to end is required: a machine that cannot start wrangler fails the run.
    if (!(error instanceof EnvironmentError) || process.env.CI) throw error;
    skipReason = `wrangler dev cannot start on this machine, so the Worker end-to-end test is skipped: ${error.message.split("\n")[0]}`;
    console.warn(skipReason);
  }
}, 120_000);

afterAll(async () => {
  await server?.stop();
}, 30_000);

/** Calls the running Worker, failing instead of hanging when it does not answer. */
async function call(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server!.url}${path}`, { ...init, signal: AbortSignal.timeout(15_000) });
}

describe("examples/cloudflare-worker under wrangler dev (the original curl flow)", () => {
  let runId = "";

  it("POST / with {prompt} answers 202 {id, details}", async (context) => {
    if (skipReason) context.skip(skipReason);
    const response = await call("/", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: "Your task description here" }),
    });
    expect(response.status, server!.output()).toBe(202);
    const body = (await response.json()) as { id: string; details: RunView };
    expect(Object.keys(body).sort()).toEqual(["details", "id"]);
    expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(body.details).toMatchObject({ id: body.id, status: expect.stringMatching(/^(queued|running)$/) });
    expect(response.headers.get("location")).toBe(`/${body.id}`);
    runId = body.id;
  });

  it("GET /:id answers {status, ...} and reaches completed", async (context) => {
    if (skipReason) context.skip(skipReason);
    expect(runId).not.toBe("");
    const deadline = Date.now() + 45_000;
    let view: RunView;
    for (;;) {
      const response = await call(`/${runId}`);
      expect(response.status).toBe(200);
      view = (await response.json()) as RunView;
      expect(["queued", "running", "completed"]).toContain(view.status);
      if (view.status === "completed") break;
      if (Date.now() > deadline)
        throw new Error(`run ${runId} still ${view.status} after 45 s.\n${server!.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(view).toMatchObject({
      id: runId,
      status: "completed",
      phase: "done",
      prompt: "Your task description here",
    });
    expect(view.tasks.length).toBeGreaterThanOrEqual(3);
    expect(view.tasks.every((task) => task.status === "completed")).toBe(true);
    expect(String(view.output)).toMatch(/^\[scripted\] Answer to "Your task description here"/);
    expect(view.usage.totalTokens).toBeGreaterThan(0);
  }, 60_000);

  it("GET /:id/events replays the run as server-sent events, ending with run-end", async (context) => {
    if (skipReason) context.skip(skipReason);
    const response = await call(`/${runId}/events`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await response.text();
    const messages = text
      .split("\n\n")
      .filter((block) => block.startsWith("id: "))
      .map((block) => {
        const [id, event, data] = block.split("\n").map((line) => line.slice(line.indexOf(": ") + 2));
        return { id: Number(id), event, data: JSON.parse(data ?? "null") as { type: string; runId: string } };
      });
    expect(messages[0]?.event).toBe("run-start");
    expect(messages.at(-1)?.event).toBe("run-end");
    expect(messages.at(-1)?.data).toMatchObject({ type: "run-end", status: "completed", runId });
    expect(messages.map((message) => message.id)).toEqual(messages.map((_, index) => index + 1));
    expect(messages.map((message) => message.event)).toEqual(
      expect.arrayContaining(["plan-end", "task-start", "task-end", "aggregate-end"]),
    );
  });

  it("GET / lists the run; unknown ids and bad bodies answer the error shape", async (context) => {
    if (skipReason) context.skip(skipReason);
    const list = (await (await call("/")).json()) as { runs: Array<{ id: string; status: string }> };
    expect(list.runs).toContainEqual(expect.objectContaining({ id: runId, status: "completed" }));
    const missing = await call(`/${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: "RUN_NOT_FOUND", message: expect.any(String) } });
    const bad = await call("/", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{",
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "INVALID_ARGUMENT" } });
  });
});
