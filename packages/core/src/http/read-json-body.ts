import { httpError } from "./error-response.js";
import type { HttpRequest } from "./http-exchange.js";

/**
 * Reads a request body as JSON, enforcing the media type and a size limit:
 * - the `Content-Type` must be `application/json` (or `application/<anything>+json`), with no charset other
 *   than UTF-8, else `UNSUPPORTED_MEDIA_TYPE` (415);
 * - the body is counted while it streams, so a body without `Content-Length` (chunked) is still cut off as
 *   soon as it passes `maxBodyBytes`: `PAYLOAD_TOO_LARGE` (413), and the rest is never read;
 * - an empty body, invalid UTF-8 or invalid JSON is `INVALID_ARGUMENT` (400).
 */
export async function readJsonBody(request: HttpRequest, maxBodyBytes: number): Promise<unknown> {
  const contentType = request.header("content-type");
  if (!isJsonContentType(contentType)) {
    throw httpError(
      "UNSUPPORTED_MEDIA_TYPE",
      `Expected Content-Type: application/json, received ${contentType === null ? "none" : JSON.stringify(contentType.slice(0, 100))}.`,
    );
  }
  const declaredLength = Number(request.header("content-length") ?? Number.NaN);
  if (declaredLength > maxBodyBytes) throw tooLarge(maxBodyBytes);
  let bytes: Uint8Array | undefined;
  try {
    bytes = await request.readBody(maxBodyBytes);
  } catch {
    throw httpError("INVALID_ARGUMENT", "The request body could not be read to its end.");
  }
  if (bytes === undefined) throw tooLarge(maxBodyBytes);
  let text: string;
  try {
    text = utf8.decode(bytes);
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

/** Strict (invalid UTF-8 throws) and stateless between calls (no `stream` option), so one serves every request. */
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

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

function tooLarge(maxBodyBytes: number) {
  return httpError(
    "PAYLOAD_TOO_LARGE",
    `The request body is larger than the limit of ${maxBodyBytes} bytes.`,
  );
}
