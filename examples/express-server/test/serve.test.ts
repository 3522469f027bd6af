import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunEvent, RunView } from "@orchestrator-workers/core";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { parseSse, pollRun, postPrompt } from "./http-client.js";
import { startServerProcess, stopAllServers } from "./server-process.js";

const dataFolder = mkdtempSync(join(tmpdir(), "express-server-e2e-"));

afterEach(stopAllServers);
afterAll(() => rmSync(dataFolder, { recursive: true, force: true }));

describe.each([
  ["memory:", "memory:"],
  ["a SQLite file", `sqlite:${join(dataFolder, "serve.db")}`],
])("pnpm serve with STORE_URL=%s", (_label, storeUrl) => {
  it("answers the original curl flow until the run completes, with its event stream and the run list", async () => {
    const server = await startServerProcess({ STORE_URL: storeUrl, LATENCY_MS: "20" });
    expect(server.output()).toContain("SCRIPTED OFFLINE MODELS");
    expect(server.output()).toContain(`store:  ${storeUrl}`);

    const created = await postPrompt(server.url, "Your task description here");
    expect(created.status).toBe(202);
    const { id, details } = (await created.json()) as { id: string; details: RunView };
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(created.headers.get("location")).toBe(`/${id}`);
    expect(details).toMatchObject({ id, status: "running", prompt: "Your task description here" });

    const view = await pollRun(server.url, id, (run) => run.status === "completed");
    expect(view).toMatchObject({ id, status: "completed", phase: "done" });
    expect(view.tasks.length).toBeGreaterThanOrEqual(3);
    for (const task of view.tasks) expect(task).toMatchObject({ status: "completed", attempts: 1 });
    expect(String(view.output)).toMatch(/^\[scripted\]/);
    expect(view.usage.totalTokens).toBeGreaterThan(0);

    const stream = await fetch(`${server.url}/${id}/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const messages = parseSse(await stream.text());
    expect(messages.map((message) => Number(message.id))).toEqual(
      messages.map((_message, index) => index + 1),
    );
    expect(messages.at(-1)?.id).toBe(String(view.seq));
    const events = messages.map((message) => JSON.parse(message.data!) as RunEvent);
    expect(events.map((event) => event.type)).toEqual(messages.map((message) => message.event));
    expect(events[0]).toMatchObject({ type: "run-start", runId: id, seq: 1 });
    expect(events.at(-1)).toMatchObject({ type: "run-end", status: "completed" });
    expect(events.filter((event) => event.type === "task-end")).toHaveLength(view.tasks.length);

    const list = (await (await fetch(`${server.url}/`)).json()) as {
      runs: Array<{ id: string; status: string }>;
    };
    expect(list.runs).toContainEqual(expect.objectContaining({ id, status: "completed" }));

    const badJson = await fetch(`${server.url}/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"prompt": ',
    });
    expect(badJson.status).toBe(400);
    const error = (await badJson.json()) as { error: { code: string; message: string } };
    expect(error).toEqual({
      error: { code: "INVALID_ARGUMENT", message: expect.stringContaining("not valid JSON") },
    });

    expect(await server.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain("SIGTERM: stopping");
  });
});

describe("pnpm serve configuration", () => {
  it("refuses a bad variable with a message naming it", async () => {
    await expect(startServerProcess({ LEASE_MS: "soon" })).rejects.toThrow(
      /LEASE_MS must be an integer from 100 to 3600000, received "soon"/,
    );
    await expect(startServerProcess({ STORE_URL: "mysql://x" })).rejects.toThrow(
      /Unknown store URL "mysql:\/\/x"/,
    );
  });
});
