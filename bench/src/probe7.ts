import { benchModels } from "./mock-models.js";
import { contenders } from "./contenders.js";
const name = (process.argv[2] ?? "ours") as "ours";
const C = process.argv[3] === "inf" ? Infinity : Number(process.argv[3] ?? 8);
for (const round of [1, 2]) for (const n of [250, 500, 1000, 2000]) {
  const models = benchModels({ tasks: n, latencyMs: 0 });
  const times: number[] = [];
  for (let i = 0; i < 4; i++) { (globalThis as any).gc(); const c0 = process.cpuUsage(); const t = performance.now(); await contenders[name](models, { concurrency: C }); const c = process.cpuUsage(c0); times.push(performance.now() - t); if (i === 3) console.log(round, n, "wall", times.map((x) => x.toFixed(0)).join(" "), "µs/subtask", (times[3]! * 1000 / n).toFixed(0), "cpu", ((c.user + c.system) / n).toFixed(0)); }
}
