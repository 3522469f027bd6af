// Imports every built package the way a user's Node app would (from dist/, through its exports map) and
// exercises one call each, so a broken bundle (a dropped `node:` prefix, a missing export) fails CI.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const packages = ["core", "express", "sqlite", "redis", "postgres"];
let failed = 0;
for (const name of packages) {
  const specifier = `@orchestrator-workers/${name}`;
  try {
    const entry = require.resolve(`../packages/${name}/dist/index.js`);
    const module = await import(entry);
    if (Object.keys(module).length === 0) throw new Error("no exports");
    console.log(`ok   ${specifier}: ${Object.keys(module).length} exports`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${specifier}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
try {
  const core = await import("../packages/core/dist/index.js");
  const testing = await import("../packages/core/dist/testing/index.js");
  const { sqliteStore } = await import("../packages/sqlite/dist/index.js");
  const store = sqliteStore({ path: ":memory:" });
  const models = testing.scriptedModels();
  const result = await core.orchestrate({ prompt: "Smoke-test the build", ...models, store });
  await store.close();
  if (result.status !== "completed") throw new Error(`run ended ${result.status}`);
  console.log(`ok   a run on the built core + sqlite store completed (${result.tasks.length} subtasks)`);
} catch (error) {
  failed++;
  console.log(`FAIL a run on the built packages: ${error instanceof Error ? error.stack : String(error)}`);
}
process.exitCode = failed === 0 ? 0 : 1;
