import type { HttpAnswer } from "./http-exchange.js";

/**
 * A JSON answer: `Content-Type: application/json; charset=utf-8` and `Cache-Control: no-store`, since run
 * state changes from one request to the next.
 * @param status The HTTP status. @default 200
 */
export function jsonAnswer(body: unknown, status = 200, headers?: Record<string, string>): HttpAnswer {
  const allHeaders: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  };
  if (headers !== undefined) Object.assign(allHeaders, headers);
  return { status, headers: allHeaders, body: JSON.stringify(body) };
}
