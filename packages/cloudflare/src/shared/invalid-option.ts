import { OrchestrateError } from "@orchestrator-workers/core";

/** An `INVALID_ARGUMENT` error naming the option, what was expected and what was received. */
export function invalidOption(option: string, expected: string, received: unknown): OrchestrateError {
  return new OrchestrateError({
    code: "INVALID_ARGUMENT",
    option,
    message: `Invalid option "${option}": expected ${expected}, received ${describe(received)}.`,
  });
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "string")
    return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
  if (typeof value === "function") return "a function";
  return Array.isArray(value) ? `an array of length ${value.length}` : "an object";
}
