import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createFetchHandler, createOrchestrator, type Orchestrator, type WorkerInput } from "@orchestrator-workers/core";
import express from "express";
import { requestFromExpress } from "../../packages/express/src/request-from-express.js";
import { writeResponse } from "../../packages/express/src/write-response.js";
import { startClientProcess } from "./http-client.js";
import { startBareServer, startOursServer } from "./http-servers.js";

async function buffered(planSize: number, bufferedWrite: boolean) {
  const orchestrator = createOrchestrator({
    orchestrator: { plan: () => ({ tasks: Array.from({ length: planSize }, (_, i) => `Part ${i}`) }) },
    worker: (input: WorkerInput) => `done ${input.task.id}`,
    aggregator: { aggregate: async (input) => ({ output: input.results.map((result) => result.output).join(", ") }) },
  }) as Orchestrator;
  const handler = createFetchHandler(orchestrator);
  const app = express();
  app.use(async (request, response) => {
    const answer = await handler(requestFromExpress(request, new AbortController().signal));
    if (!bufferedWrite || answer.headers.get("content-type")?.startsWith("text/event-stream")) return writeResponse(answer, response);
    const body = Buffer.from(await answer.arrayBuffer());
    response.status(answer.status);
    for (const [name, value] of answer.headers) response.setHeader(name, value);
    response.setHeader("content-length", body.byteLength);
    response.end(body);
  });
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: async () => { await orchestrator.close(); server.closeAllConnections(); server.close(); } };
}

async function handwritten() {
  const orchestrator = createOrchestrator({
    orchestrator: { plan: () => ({ tasks: ["Part one", "Part two", "Part three"] }) },
    worker: (input: WorkerInput) => `done ${input.task.id}`,
    aggregator: { aggregate: async (input) => ({ output: input.results.map((result) => result.output).join(", ") }) },
  }) as Orchestrator;
  const app = express();
  app.post("/", express.json(), async (request, response) => {
    const handle = await orchestrator.start((request.body as { prompt: string }).prompt);
    handle.result.catch(() => {});
    const details = await orchestrator.get(handle.id);
    response.status(202).location(`/${handle.id}`).json({ id: handle.id, details });
  });
  app.get("/:id", async (request, response) => {
    const view = await orchestrator.get(request.params.id);
    if (!view) response.status(404).json({ error: { code: "RUN_NOT_FOUND", message: "no" } });
    else response.json(view);
  });
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: async () => { await orchestrator.close(); server.closeAllConnections(); server.close(); } };
}
const client = await startClientProcess();
const variants: Array<[string, () => Promise<{ url: string; close(): Promise<void> }>]> = [
  ["bare", startBareServer],
  ["ours", startOursServer],
  ["handwritten", handwritten],
  ["ours-3-buffered", () => buffered(3, true)],
];
for (let round = 0; round < 3; round++) {
  for (const [name, start] of variants) {
    const server = await start();
    const cpu = process.cpuUsage();
    const result = await client.load(server.url, 1500, 16);
    const used = process.cpuUsage(cpu);
    await server.close();
    console.log(round, name, (result.pairs / (result.elapsedMs / 1000)).toFixed(0), "cpu µs/pair", ((used.user + used.system) / result.pairs).toFixed(0), "user", (used.user / result.pairs).toFixed(0));
  }
}
await client.close();
