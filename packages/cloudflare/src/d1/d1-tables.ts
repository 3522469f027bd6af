import { invalidOption } from "../shared/invalid-option.js";

/** The names of the store's tables and indexes, all starting with one prefix so the store can share a database. */
export interface D1Tables {
  runs: string;
  events: string;
  stepResults: string;
  schemaVersion: string;
  /** The prefix itself, for index names. */
  prefix: string;
}

const prefixPattern = /^[A-Za-z_][A-Za-z0-9_]{0,40}$/;

/** Table names for `prefix`; throws `INVALID_ARGUMENT` unless it is a plain SQL identifier. */
export function d1Tables(prefix: string): D1Tables {
  if (typeof prefix !== "string" || !prefixPattern.test(prefix)) {
    throw invalidOption(
      "tablePrefix",
      "1 to 41 letters, digits or underscores, not starting with a digit",
      prefix,
    );
  }
  return {
    runs: `${prefix}runs`,
    events: `${prefix}events`,
    stepResults: `${prefix}step_results`,
    schemaVersion: `${prefix}schema_version`,
    prefix,
  };
}
