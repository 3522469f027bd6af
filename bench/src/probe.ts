import { benchModels } from "./mock-models.js";
import { contenders } from "./contenders.js";
for (const n of [10, 500, 2000]) {
  const models = benchModels({ tasks: n, latencyMs: 0 });
  for (const name of ["baseline", "ours", "ours-generate"] as const) {
    for (let i = 0; i < 3; i++) await contenders[name](models, { concurrency: Infinity });
    const runs = n >= 2000 ? 3 : n >= 500 ? 10 : 200;
    const cpu0 = process.cpuUsage(); const t0 = performance.now();
    for (let i = 0; i < runs; i++) await contenders[name](models, { concurrency: Infinity });
    const cpu = process.cpuUsage(cpu0); const wall = performance.now() - t0;
    console.log(n, name, "wall/run ms", (wall / runs).toFixed(2), "cpu µs/subtask", ((cpu.user + cpu.system) / runs / n).toFixed(1));
  }
}
