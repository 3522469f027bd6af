import { OrchestrateError } from "../errors/orchestrate-error.js";
import type { AppendInput } from "./run-store.js";

/**
 * Throws `INVALID_ARGUMENT` unless `input.events` is a non-empty batch of events of `input.runId` with
 * consecutive seqs starting at `input.expectedSeq + 1`, so that a store never stores a gap or a stranger's event.
 */
export function checkAppendInput(input: AppendInput): void {
  if (input.events.length === 0) {
    throw invalidEvents(input, "at least one event, received an empty list");
  }
  // An indexed loop: `entries()` allocates an iterator and a pair per event, and every append goes through here.
  for (let index = 0; index < input.events.length; index++) {
    const event = input.events[index]!;
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
