import { OrchestrateError } from "../errors/orchestrate-error.js";

/** The position a list page ended at. Stores encode it opaquely so clients cannot forge meaning into it. */
export interface ListCursor {
  /** `createdAt` of the last run on the page. */
  createdAt: number;
  /** Id of the last run on the page (tie-breaker). */
  id: string;
}

/** Encodes a {@link ListCursor} as an opaque URL-safe string. */
export function encodeCursor(cursor: ListCursor): string {
  return btoa(JSON.stringify([cursor.createdAt, cursor.id]))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replaceAll("=", "");
}

/** Decodes a cursor made by {@link encodeCursor}; a malformed one is `INVALID_ARGUMENT`. */
export function decodeCursor(value: string): ListCursor {
  try {
    const padded = value.replaceAll("-", "+").replaceAll("_", "/");
    const parsed: unknown = JSON.parse(atob(padded + "=".repeat((4 - (padded.length % 4)) % 4)));
    if (Array.isArray(parsed) && typeof parsed[0] === "number" && typeof parsed[1] === "string") {
      return { createdAt: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new OrchestrateError({
    code: "INVALID_ARGUMENT",
    option: "cursor",
    message: `Invalid option "cursor": expected a nextCursor from a previous page, received ${JSON.stringify(value.slice(0, 40))}.`,
  });
}
