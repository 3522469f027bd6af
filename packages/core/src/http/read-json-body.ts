import { httpError } from "./error-response.js";

/**
 * Reads a request body as JSON, enforcing the media type and a size limit:
 * - the `Content-Type` must be `application/json` (or `application/<anything>+json`), with no charset other
 *   than UTF-8, else `UNSUPPORTED_MEDIA_TYPE` (415);
 * - the body is counted while it streams, so a body without `Content-Length` (chunked) is still cut off as
 *   soon as it passes `maxBodyBytes`: `PAYLOAD_TOO_LARGE` (413), and the rest is never read;
 * - an empty body, invalid UTF-8 or invalid JSON is `INVALID_ARGUMENT` (400).
 */
export async function readJsonBody(request: Request, maxBodyBytes: number): Promise<unknown> {
  const contentType = request.headers.get("content-type");
  if (!isJsonContentType(contentType)) {
    throw httpError(
      "UNSUPPORTED_MEDIA_TYPE",
      `Expected Content-Type: application/json, received ${contentType === null ? "none" : JSON.stringify(contentType.slice(0, 100))}.`,
    );
  }
  const declaredLength = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declaredLength > maxBodyBytes) throw tooLarge(maxBodyBytes);
  const bytes = await readBytes(request, maxBodyBytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw httpError("INVALID_ARGUMENT", "The request body is not valid UTF-8.");
  }
  if (text.trim() === "")
    throw httpError("INVALID_ARGUMENT", "The request body is empty: expected a JSON object.");
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.slice(0, 200) : "unparseable";
    throw httpError("INVALID_ARGUMENT", `The request body is not valid JSON: ${reason}`);
  }
}

function isJsonContentType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const [mediaType = "", ...parameters] = contentType.toLowerCase().split(";");
  const type = mediaType.trim();
  if (type !== "application/json" && !/^application\/[\w.+-]+\+json$/.test(type)) return false;
  return parameters.every((parameter) => {
    const [name = "", value = ""] = parameter.split("=", 2);
    const charset = value.trim().replace(/^"|"$/g, "");
    return name.trim() !== "charset" || charset === "utf-8" || charset === "utf8";
  });
}

async function readBytes(request: Request, maxBodyBytes: number): Promise<Uint8Array> {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBodyBytes) {
        // Cancelling tells the adapter to discard the rest; the answer can go out before the body ends.
        reader.cancel().catch(() => {});
        throw tooLarge(maxBodyBytes);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (total > maxBodyBytes) throw error;
    throw httpError("INVALID_ARGUMENT", "The request body could not be read to its end.");
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function tooLarge(maxBodyBytes: number) {
  return httpError(
    "PAYLOAD_TOO_LARGE",
    `The request body is larger than the limit of ${maxBodyBytes} bytes.`,
  );
}
