import type { HttpAnswer, HttpRequest } from "./http-exchange.js";

/** A web `Request` as an {@link HttpRequest}. */
export function fromWebRequest(request: Request): HttpRequest {
  return {
    method: request.method,
    url: request.url,
    header: (name) => request.headers.get(name),
    signal: request.signal,
    readBody: (maxBytes) => readWebBody(request, maxBytes),
    toRequest: () => request,
  };
}

/** An {@link HttpAnswer} as a web `Response`. */
export function toWebResponse(answer: HttpAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/** Reads a web body chunk by chunk, counting, and cancels it once it passes `maxBytes`. */
async function readWebBody(request: Request, maxBytes: number): Promise<Uint8Array | undefined> {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Cancelling tells the server to discard the rest; the answer can go out before the body ends.
      reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
