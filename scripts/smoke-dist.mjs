// Imports every built package through the `import` and `types` entries of its exports map, as installed in the
// workspace (bench/ depends on all of them), and completes one run on the built core + SQLite store, so a
// broken bundle (a dropped `node:` prefix, a missing export, an exports entry pointing at nothing) fails CI.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const installed = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "bench",
  "node_modules",
  "@orchestrator-workers",
);
const packages = ["core", "express", "sqlite", "redis", "postgres"];
let failed = 0;

/** Imports `subpath` of a package the way Node resolves an ESM import: through its exports map. */
async function importExport(name, subpath = ".") {
  const directory = join(installed, name);
  const entry = JSON.parse(readFileSync(join(directory, "package.json"), "utf8")).exports?.[subpath];
  if (!entry?.import || !entry.types) throw new Error(`exports["${subpath}"] has no "import" and "types"`);
  for (const file of [entry.import, entry.types]) {
    if (!existsSync(join(directory, file)))
      throw new Error(`exports["${subpath}"] points at a missing ${file}`);
  }
  return import(pathToFileURL(join(directory, entry.import)).href);
}

const modules = {};
for (const name of packages) {
  const specifier = `@orchestrator-workers/${name}`;
  try {
    modules[name] = await importExport(name);
    if (Object.keys(modules[name]).length === 0) throw new Error("no exports");
    console.log(`ok   ${specifier}: ${Object.keys(modules[name]).length} exports`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${specifier}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
try {
  const testing = await importExport("core", "./testing");
  const store = modules.sqlite.sqliteStore({ path: ":memory:" });
  const result = await modules.core.orchestrate({
    prompt: "Smoke-test the build",
    ...testing.scriptedModels(),
    store,
  });
  await store.close();
  if (result.status !== "completed") throw new Error(`run ended ${result.status}`);
  console.log(`ok   a run on the built core + sqlite store completed (${result.tasks.length} subtasks)`);
} catch (error) {
  failed++;
  console.log(`FAIL a run on the built packages: ${error instanceof Error ? error.stack : String(error)}`);
}
process.exitCode = failed === 0 ? 0 : 1;
