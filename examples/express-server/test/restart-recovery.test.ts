import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunEvent } from "@orchestrator-workers/core";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { parseSse, pollRun, postPrompt } from "./http-client.js";
import { startServerProcess, stopAllServers } from "./server-process.js";

const dataFolder = mkdtempSync(join(tmpdir(), "express-server-restart-"));

afterEach(stopAllServers);
afterAll(() => rmSync(dataFolder, { recursive: true, force: true }));

describe("pnpm serve after a crash", () => {
  it("finishes the runs it had accepted, without running completed subtasks again", async () => {
    // Slow scripted models and a short lease: the kill lands mid-run, and the restarted server may take over
    // the run one second after the dead one stopped renewing its lease.
    const environment = {
      STORE_URL: `sqlite:${join(dataFolder, "runs.db")}`,
      LATENCY_MS: "1500",
      LEASE_MS: "1000",
    };
    const first = await startServerProcess(environment);
    const created = await postPrompt(first.url, "Compare three ways to cache HTTP responses");
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };

    const beforeKill = await pollRun(first.url, id, (view) =>
      view.tasks.some((task) => task.status === "completed"),
    );
    expect(beforeKill.status).toBe("running");
    expect(await first.stop("SIGKILL")).toEqual({ code: null, signal: "SIGKILL" });
    const completedBeforeKill = beforeKill.tasks.filter((task) => task.status === "completed");
    const unfinishedBeforeKill = beforeKill.tasks.filter((task) => task.status !== "completed");
    expect(unfinishedBeforeKill.length).toBeGreaterThan(0);

    const second = await startServerProcess(environment);
    const finished = await pollRun(second.url, id, (view) => view.status === "completed", 15_000);
    expect(second.output()).toMatch(new RegExp(`recovered 1 .*run\\(s\\).*: ${id}`));
    expect(finished.tasks.map((task) => task.status)).toEqual(finished.tasks.map(() => "completed"));
    expect(finished.tasks.map((task) => task.id)).toEqual(beforeKill.tasks.map((task) => task.id));
    expect(String(finished.output)).toMatch(/^\[scripted\]/);

    const events = parseSse(await (await fetch(`${second.url}/${id}/events`)).text()).map(
      (message) => JSON.parse(message.data!) as RunEvent,
    );
    const startsOf = (taskId: string) =>
      events.filter((event) => event.type === "task-start" && event.taskId === taskId).length;
    for (const task of completedBeforeKill) {
      expect(startsOf(task.id), `task-start events of ${task.id}`).toBe(1);
      expect(finished.tasks.find((candidate) => candidate.id === task.id)).toMatchObject({
        attempts: task.attempts,
        startedAt: task.startedAt,
        endedAt: task.endedAt,
        output: task.output,
      });
    }
    expect(events.filter((event) => event.type === "plan-end")).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: "run-end", status: "completed" });
  }, 30_000);
});
