// A child process of the recovery scenario. Started from the repository root as
//   node --import tsx --conditions=source test-support/recovery/recovery-child.ts '<json config>'
// In "run" mode it starts the run and keeps executing it until it is killed; in "recover" mode it calls
// recover() until it has taken the run over, waits for the run to end and prints its final view. Progress goes
// to stdout as one JSON object per line.

import { type RecoveryWorkloadOptions, recoveryOrchestrator } from "./recovery-workload.js";
import { openStoreSpec, type StoreSpec } from "./store-spec.js";

/** What the parent passes as the first argument. */
export interface RecoveryChildConfig extends RecoveryWorkloadOptions {
  mode: "run" | "recover";
  spec: StoreSpec;
  runId: string;
  /** "recover" mode: give up after this long without taking the run over, in milliseconds. */
  recoverTimeoutMs?: number;
}

const config = JSON.parse(process.argv[2]!) as RecoveryChildConfig;
const report = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);

const store = await openStoreSpec(config.spec);
const orchestrator = recoveryOrchestrator(store, config);

if (config.mode === "run") {
  const handle = await orchestrator.start("Write the report in eight parts.", { runId: config.runId });
  report({ started: handle.id });
  // Executes until the parent kills this process; it should never get to the end.
  const view = await handle.result;
  report({ ended: view.status });
} else {
  const deadline = Date.now() + (config.recoverTimeoutMs ?? 15_000);
  let attempts = 0;
  for (;;) {
    attempts++;
    const resumed = await orchestrator.recover();
    if (resumed.includes(config.runId)) break;
    if (Date.now() > deadline) {
      report({ error: `recover() did not resume ${config.runId} after ${attempts} attempts` });
      process.exit(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  report({ recovered: config.runId, attempts });
  // The run executes here now: resume() answers the local run's result.
  const view = await orchestrator.resume(config.runId);
  report({ final: view });
  await store.close();
}
