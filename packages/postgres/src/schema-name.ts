import { OrchestrateError } from "@orchestrator-workers/core";

const identifier = /^[a-z_][a-z0-9_]{0,47}$/;

/**
 * Checks a schema name: lowercase letters, digits and underscores, not starting with a digit, at most 48
 * characters (so that the notification channel named after it stays under Postgres' 63-byte limit). It is
 * quoted in every statement anyway; the check keeps names portable and unambiguous.
 */
export function checkSchemaName(schema: unknown): string {
  if (typeof schema === "string" && identifier.test(schema)) return schema;
  throw new OrchestrateError({
    code: "INVALID_ARGUMENT",
    option: "schema",
    message: `Invalid option "schema": expected a Postgres identifier of lowercase letters, digits and underscores, not starting with a digit, at most 48 characters, received ${JSON.stringify(schema)}.`,
  });
}
