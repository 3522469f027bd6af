import { type AppendInput, OrchestrateError } from "@orchestrator-workers/core";

/**
 * Throws `INVALID_ARGUMENT` unless `input.events` is a non-empty batch of events of `input.runId` with
 * consecutive seqs starting at `input.expectedSeq + 1`, so that the store never stores a gap or a stranger's event.
 */
export function checkAppendInput(input: AppendInput): void {
  if (input.events.length === 0) throw invalidEvents(input, "at least one event, received an empty list");
  for (const [index, event] of input.events.entries()) {
    const seq = input.expectedSeq + 1 + index;
    if (event.seq !== seq || event.runId !== input.runId) {
      throw invalidEvents(
        input,
        `event ${index} to have runId ${JSON.stringify(input.runId)} and seq ${seq}, received runId ${JSON.stringify(event.runId)} and seq ${event.seq}`,
      );
    }
  }
}

function invalidEvents(input: AppendInput, detail: string): OrchestrateError {
  return new OrchestrateError({
    code: "INVALID_ARGUMENT",
    option: "events",
    runId: input.runId,
    message: `Invalid option "events": expected ${detail}.`,
  });
}
