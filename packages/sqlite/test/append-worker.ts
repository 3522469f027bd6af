// A child process for the multi-process test: appends `count` events to one run through its own store on the
// shared file, retrying on STORE_CONFLICT like a real writer, then prints how many it stored and conflicts seen.
import { OrchestrateError } from "@orchestrator-workers/core";
import { sqliteStore } from "../src/sqlite-store.js";

const [path, runId, countText, writer] = process.argv.slice(2);
const store = sqliteStore({ path: path!, busyTimeoutMs: 10_000 });
let stored = 0;
let conflicts = 0;
while (stored < Number(countText)) {
  const run = await store.getRun(runId!);
  const seq = run!.lastSeq + 1;
  try {
    await store.append({
      runId: runId!,
      expectedSeq: seq - 1,
      events: [
        { type: "task-start", runId: runId!, seq, at: Date.now(), taskId: `${writer}-${stored}`, attempt: 1 },
      ],
      status: "running",
    });
    stored++;
  } catch (error) {
    if (!OrchestrateError.isInstance(error) || error.code !== "STORE_CONFLICT") throw error;
    conflicts++;
  }
}
await store.close();
process.stdout.write(JSON.stringify({ stored, conflicts }));
