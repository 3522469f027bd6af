import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createOrchestrator,
  type Orchestrator,
  type RunView,
  type WorkerInput,
} from "@orchestrator-workers/core";
import { createExpressHandler } from "@orchestrator-workers/express";
import express from "express";

/** An HTTP server on 127.0.0.1 started by this file. */
export interface BenchServer {
  /** Its base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  close(): Promise<void>;
}

/** The prompt every POST of the request benchmark sends. */
export const httpBenchPrompt = "Write a short report on the subject, one part per subtask.";

/**
 * An orchestrator on the memory store with zero-latency roles (plain functions: a three-task plan, workers and an
 * aggregator that answer at once).
 */
function zeroLatencyOrchestrator(): Orchestrator {
  return createOrchestrator({
    orchestrator: { plan: () => ({ tasks: ["Part one", "Part two", "Part three"] }) },
    worker: (input: WorkerInput) => `done ${input.task.id}`,
    aggregator: {
      aggregate: async (input) => ({ output: input.results.map((result) => result.output).join(", ") }),
    },
  }) as Orchestrator;
}

/**
 * Ours: the orchestrator HTTP API mounted at the root with `createExpressHandler`, as `pnpm serve` does, on a
 * {@link zeroLatencyOrchestrator}. Each POST creates and executes a run in this process.
 */
export function startOursServer(): Promise<BenchServer> {
  const orchestrator = zeroLatencyOrchestrator();
  const app = express();
  app.use("/", createExpressHandler(orchestrator));
  return listen(app, () => orchestrator.close());
}

/**
 * The bare contender: an Express app doing the same JSON work by hand, with no run. `POST /` parses the JSON
 * body, makes a UUID, stores a view and answers `{id, details}` (202, `Location`); `GET /:id` answers the
 * stored view. The views are copies (new id, prompt and times) of what ours answers for the same request: a run
 * just started for the `POST`, the finished run of three subtasks for the `GET`, so both serialize bodies of the
 * same shape and size.
 */
export async function startBareServer(): Promise<BenchServer> {
  const { started, finished } = await sampleViews();
  const runs = new Map<string, unknown>();
  const app = express();
  app.post("/", express.json(), (request, response) => {
    const prompt = (request.body as { prompt?: unknown } | undefined)?.prompt;
    if (typeof prompt !== "string") {
      response.status(400).json({ error: { code: "INVALID_ARGUMENT", message: "prompt must be a string" } });
      return;
    }
    const id = crypto.randomUUID();
    const now = Date.now();
    runs.set(id, { ...finished, id, prompt, createdAt: now, updatedAt: now });
    response
      .status(202)
      .location(`/${id}`)
      .json({ id, details: { ...started, id, prompt, createdAt: now, updatedAt: now } });
  });
  app.get("/:id", (request, response) => {
    const run = runs.get(request.params.id);
    if (run === undefined)
      response.status(404).json({ error: { code: "RUN_NOT_FOUND", message: "no such run" } });
    else response.json(run);
  });
  return listen(app, async () => {});
}

/** What ours answers for one request: the view right after `start()`, and the finished view. */
async function sampleViews(): Promise<{ started: RunView; finished: RunView }> {
  const orchestrator = zeroLatencyOrchestrator();
  const handle = await orchestrator.start(httpBenchPrompt);
  const started = (await orchestrator.get(handle.id))!;
  const finished = await handle.result;
  await orchestrator.close();
  return { started, finished };
}

/**
 * Two hand-written Express routes around the same {@link zeroLatencyOrchestrator}, without the adapter:
 * `express.json()`, `orchestrator.start()` and `get()`, `response.json()`. What the adapter costs is ours
 * minus this.
 */
export function startHandWrittenServer(): Promise<BenchServer> {
  const orchestrator = zeroLatencyOrchestrator();
  const app = express();
  app.post("/", express.json(), async (request, response) => {
    const handle = await orchestrator.start((request.body as { prompt: string }).prompt);
    handle.result.catch(() => {});
    const details = await orchestrator.get(handle.id);
    response.status(202).location(`/${handle.id}`).json({ id: handle.id, details });
  });
  app.get("/:id", async (request, response) => {
    const view = await orchestrator.get(request.params.id);
    if (view === undefined)
      response.status(404).json({ error: { code: "RUN_NOT_FOUND", message: "no such run" } });
    else response.json(view);
  });
  return listen(app, () => orchestrator.close());
}

/** The server of the fan-out benchmark, and how to let its one run go. */
export interface FanOutServer extends BenchServer {
  orchestrator: Orchestrator;
  /** Lets the planner of the run answer: until then the run waits in `planning`. */
  release(): void;
}

/**
 * A server whose runs wait in planning until `release()`, so that subscribers can connect before the run's
 * events happen; then `tasks` subtasks of `workerMs` each run, four at a time.
 */
export function startFanOutServer(options: { tasks: number; workerMs: number }): Promise<FanOutServer> {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const orchestrator = createOrchestrator({
    orchestrator: {
      plan: async () => {
        await released;
        return { tasks: Array.from({ length: options.tasks }, (_, index) => `Part ${index + 1}`) };
      },
    },
    worker: async (input: WorkerInput) => {
      await new Promise((resolve) => setTimeout(resolve, options.workerMs));
      return `done ${input.task.id}`;
    },
    aggregator: { aggregate: async (input) => ({ output: `${input.results.length} parts` }) },
  }) as Orchestrator;
  const app = express();
  app.use("/", createExpressHandler(orchestrator));
  return listen(app, () => orchestrator.close()).then((server) => ({ ...server, orchestrator, release }));
}

async function listen(app: express.Express, onClose: () => Promise<void>): Promise<BenchServer> {
  const server: Server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await onClose();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
