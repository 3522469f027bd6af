import { httpError } from "./error-response.js";
import type { HttpRequest } from "./http-exchange.js";

/**
 * The seq an event stream resumes after: the `Last-Event-ID` header (sent by a reconnecting `EventSource`)
 * wins over the `?after=` query parameter; neither means from the start (`0`). A value that is not a
 * non-negative integer is `INVALID_ARGUMENT`.
 */
export function readResumeSeq(request: HttpRequest, url: URL): number {
  const header = request.header("last-event-id");
  if (header !== null && header.trim() !== "") return parseSeq("Last-Event-ID", header.trim());
  const query = url.searchParams.get("after");
  if (query !== null) return parseSeq("after", query);
  return 0;
}

function parseSeq(option: string, value: string): number {
  if (!/^\d{1,15}$/.test(value)) {
    throw httpError(
      "INVALID_ARGUMENT",
      `Invalid option "${option}": expected the seq of an event (a non-negative integer), received ${JSON.stringify(value.slice(0, 40))}.`,
      option,
    );
  }
  return Number(value);
}
