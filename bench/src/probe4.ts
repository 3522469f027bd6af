import { orchestrate } from "@orchestrator-workers/core";
import { Semaphore } from "./baseline.js";
import { planTasks } from "./mock-models.js";
const mode = process.argv[2] ?? "engine";
const n = Number(process.argv[3] ?? 500);
const runs = Number(process.argv[4] ?? 200);
const C = process.argv[5] === "inf" ? Infinity : Number(process.argv[5] ?? 8);
const tasks = planTasks(n);
async function engine() {
  const r = await orchestrate({ prompt: "p", orchestrator: { plan: () => ({ tasks }) }, worker: async () => "ok",
    aggregator: { aggregate: async (input) => ({ output: String(input.results.length) }) }, concurrency: C, maxSubtasks: n });
  if (r.status !== "completed") throw new Error(r.status);
}
async function plain() {
  const plan = await Promise.resolve({ tasks: structuredClone(tasks) });
  const s = new Semaphore(C);
  const out = await Promise.all(plan.tasks.map((t) => s.run(async () => "ok")));
  await Promise.resolve(String(out.length));
}
const fn = mode === "engine" ? engine : plain;
for (let i = 0; i < 20; i++) await fn();
const c0 = process.cpuUsage(); const t0 = performance.now();
for (let i = 0; i < runs; i++) await fn();
const c = process.cpuUsage(c0);
console.log(mode, n, "C", C, "wall ms/run", ((performance.now() - t0) / runs).toFixed(3), "cpu µs/subtask", ((c.user + c.system) / runs / n).toFixed(2));
