import type { WorkerInput } from "@orchestrator-workers/core";

/** A worker that holds every task until `release()`, or rejects when its run is cancelled. */
export function gatedWorker() {
  let release: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  const worker = (input: WorkerInput) =>
    new Promise<string>((resolve, reject) => {
      opened.then(() => resolve(`done ${input.task.id}`));
      input.signal.addEventListener("abort", () => reject(input.signal.reason), { once: true });
    });
  return { release: () => release(), worker };
}
