import { createFetchHandler, createOrchestrator, type Orchestrator, type WorkerInput } from "@orchestrator-workers/core";

function make(planSize: number) {
  return createOrchestrator({
    orchestrator: { plan: () => ({ tasks: Array.from({ length: planSize }, (_, i) => `Part ${i}`) }) },
    worker: (input: WorkerInput) => `done ${input.task.id}`,
    aggregator: { aggregate: async (input) => ({ output: input.results.map((result) => result.output).join(", ") }) },
  }) as Orchestrator;
}
const body = JSON.stringify({ prompt: "Write a short report on the subject, one part per subtask." });
for (const planSize of [0, 1, 3]) {
  for (let round = 0; round < 3; round++) {
    const orchestrator = make(Math.max(planSize, 1));
    const handler = createFetchHandler(orchestrator);
    const n = 5000;
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      if (planSize === 0) {
        // web objects only
        const request = new Request("http://127.0.0.1/", { method: "POST", headers: { "content-type": "application/json" }, body });
        await request.text();
        const response = new Response(JSON.stringify({ id: "x", details: { a: 1 } }), { status: 202, headers: { "content-type": "application/json" } });
        await response.arrayBuffer();
        continue;
      }
      const created = await handler(new Request("http://127.0.0.1/", { method: "POST", headers: { "content-type": "application/json" }, body }));
      const { id } = (await created.json()) as { id: string };
      const read = await handler(new Request(`http://127.0.0.1/${id}`));
      await read.arrayBuffer();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const used = process.cpuUsage(cpu);
    console.log(planSize === 0 ? "web objects only" : `plan ${planSize}`, "wall µs/pair", ((performance.now() - start) * 1000 / n).toFixed(0), "cpu µs/pair", ((used.user + used.system) / n).toFixed(0));
    await orchestrator.close();
  }
}
