/**
 * A JSON response: `Content-Type: application/json; charset=utf-8` and `Cache-Control: no-store`, since run
 * state changes from one request to the next.
 * @param status The HTTP status. @default 200
 */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      ...headers,
    },
  });
}
