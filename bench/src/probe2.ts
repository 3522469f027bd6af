import { benchModels } from "./mock-models.js";
import { contenders } from "./contenders.js";
const name = (process.argv[2] ?? "ours") as "ours";
const models = benchModels({ tasks: 500, latencyMs: 0 });
for (let i = 0; i < 60; i++) await contenders[name](models, { concurrency: Infinity });
