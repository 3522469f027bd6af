import { describe, expect, it } from "vitest";
import { OrchestrateError } from "../errors/orchestrate-error.js";
import { readJsonBody } from "./read-json-body.js";
import { fromWebRequest } from "./web-exchange.js";

const post = (
  body: BodyInit | null,
  headers: Record<string, string> = { "content-type": "application/json" },
) => new Request("http://test/", { method: "POST", body, headers });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "none";
  } catch (error) {
    return OrchestrateError.isInstance(error) ? error.code : `not an OrchestrateError: ${String(error)}`;
  }
}

function chunked(chunks: Uint8Array[], onCancel: () => void = () => {}): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
    cancel: onCancel,
  });
}

describe("readJsonBody", () => {
  it("parses a JSON body", async () => {
    await expect(readJsonBody(fromWebRequest(post('{"prompt":"hi"}')), 1024)).resolves.toEqual({
      prompt: "hi",
    });
  });

  it("accepts charset=utf-8 and +json media types", async () => {
    await expect(
      readJsonBody(fromWebRequest(post("{}", { "content-type": "application/json; charset=UTF-8" })), 1024),
    ).resolves.toEqual({});
    await expect(
      readJsonBody(fromWebRequest(post("{}", { "content-type": "application/vnd.api+json" })), 1024),
    ).resolves.toEqual({});
  });

  it("answers UNSUPPORTED_MEDIA_TYPE for a missing or wrong content type or charset", async () => {
    expect(await codeOf(readJsonBody(fromWebRequest(post("{}", {})), 1024))).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(
      await codeOf(readJsonBody(fromWebRequest(post("{}", { "content-type": "text/plain" })), 1024)),
    ).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(
      await codeOf(
        readJsonBody(
          fromWebRequest(post("{}", { "content-type": "application/json; charset=latin1" })),
          1024,
        ),
      ),
    ).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("answers PAYLOAD_TOO_LARGE from Content-Length without reading", async () => {
    const request = post("{}", { "content-type": "application/json", "content-length": "5000" });
    expect(await codeOf(readJsonBody(fromWebRequest(request), 1024))).toBe("PAYLOAD_TOO_LARGE");
  });

  it("counts streamed bytes without Content-Length and cancels the rest", async () => {
    let cancelled = false;
    const chunk = new Uint8Array(600).fill(32);
    const stream = chunked([chunk, chunk, chunk, chunk], () => {
      cancelled = true;
    });
    const request = new Request("http://test/", {
      method: "POST",
      body: stream,
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    expect(await codeOf(readJsonBody(fromWebRequest(request), 1024))).toBe("PAYLOAD_TOO_LARGE");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cancelled).toBe(true);
  });

  it("answers INVALID_ARGUMENT for an empty body, bad UTF-8 and bad JSON", async () => {
    expect(await codeOf(readJsonBody(fromWebRequest(post(null)), 1024))).toBe("INVALID_ARGUMENT");
    expect(await codeOf(readJsonBody(fromWebRequest(post("   ")), 1024))).toBe("INVALID_ARGUMENT");
    expect(await codeOf(readJsonBody(fromWebRequest(post(new Uint8Array([0x7b, 0xff, 0x7d]))), 1024))).toBe(
      "INVALID_ARGUMENT",
    );
    expect(await codeOf(readJsonBody(fromWebRequest(post("{prompt:")), 1024))).toBe("INVALID_ARGUMENT");
  });

  it("answers INVALID_ARGUMENT when the body stream fails", async () => {
    const stream = new ReadableStream({
      pull(controller) {
        controller.error(new Error("socket reset"));
      },
    });
    const request = new Request("http://test/", {
      method: "POST",
      body: stream,
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    expect(await codeOf(readJsonBody(fromWebRequest(request), 1024))).toBe("INVALID_ARGUMENT");
  });
});
