import { benchModels } from "./mock-models.js";
import { contenders } from "./contenders.js";
const name = (process.argv[2] ?? "ours") as "ours";
const n = Number(process.argv[3] ?? 5);
const runs = Number(process.argv[4] ?? 2000);
const models = benchModels({ tasks: n, latencyMs: 0 });
for (let i = 0; i < runs; i++) await contenders[name](models, { concurrency: 4 });
