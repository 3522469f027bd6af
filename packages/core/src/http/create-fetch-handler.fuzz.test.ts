import { describe, expect, it } from "vitest";
import { createOrchestrator } from "../orchestrator/create-orchestrator.js";
import type { Orchestrator } from "../orchestrator/orchestrator.js";
import { createFetchHandler } from "./create-fetch-handler.js";

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <TItem>(items: readonly TItem[]): TItem => items[Math.floor(next() * items.length)]!;
  const bytes = (length: number) => new Uint8Array(length).map(() => Math.floor(next() * 256));
  return { next, pick, bytes };
}

const nested = (depth: number, open: string, close: string, inner = "1") =>
  open.repeat(depth) + inner + close.repeat(depth);

const bodies: ReadonlyArray<string | Uint8Array<ArrayBuffer>> = [
  "",
  "null",
  "[]",
  "{}",
  '"prompt"',
  "{prompt:1}",
  '{"prompt":',
  '{"prompt": 1}',
  '{"prompt": ["a"]}',
  '{"prompt": {"text": "a"}}',
  '{"prompt": null}',
  '{"prompt": true}',
  '{"prompt": ""}',
  '{"prompt": "ok", "options": null}',
  '{"prompt": "ok", "options": "fast"}',
  '{"prompt": "ok", "options": {"concurrency": 1e400}}',
  '{"prompt": "ok", "options": {"concurrency": -1}}',
  '{"prompt": "ok", "options": {"maxSubtasks": 1000000}}',
  '{"prompt": "ok", "options": {"timeouts": {"taskMs": 1e30}}}',
  '{"prompt": "ok", "options": {"budget": {"maxTokens": "all"}}}',
  '{"prompt": "ok", "options": {"__proto__": {"admin": true}}}',
  '{"prompt": "ok", "options": {"constructor": {}}}',
  nested(10_000, "[", "]"),
  nested(10_000, '{"a":', "}"),
  `{"prompt": ${nested(10_000, "[", "]")}}`,
  `{"prompt": "ok", "options": ${nested(10_000, '{"a":', "}")}}`,
  `{"prompt": "ok", "options": {"metadata": ${nested(10_000, '{"a":', "}")}}}`,
  `{"prompt": "ok", "options": {"metadata": ${nested(10_000, "[", "]")}}}`,
  `{"prompt": "${"x".repeat(200_000)}"}`,
  "\uFEFF{}",
  "\u0000",
  new Uint8Array([0xff, 0xfe, 0x00, 0x7b]),
  new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
];

const contentTypes = [
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=utf-16",
  "text/plain",
  "multipart/form-data; boundary=x",
  "application/x-www-form-urlencoded",
  "application/",
  ";;;",
  "x".repeat(10_000),
  undefined,
];
const methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "PROPFIND", "X-CUSTOM"];
const paths = [
  "/",
  "//",
  "/runs",
  "/?limit=-1",
  "/?limit=1e3&status=&cursor=%FF",
  `/?cursor=${"A".repeat(5000)}`,
  "/?status=completed,,running",
  "/%2e%2e/%2e%2e/etc/passwd",
  "/..%2f..%2f",
  "/00000000-0000-0000-0000-000000000000",
  "/00000000-0000-0000-0000-000000000000/events",
  "/00000000-0000-0000-0000-000000000000/events?after=-1",
  "/00000000-0000-0000-0000-000000000000/events?after=99999999999999999999",
  "/00000000-0000-0000-0000-000000000000/cancel",
  "/x/cancel/x",
  `/${"a".repeat(5000)}`,
  "/%F0%9F%92%A5",
  "/💥/events",
  "/a b",
  "/__proto__",
  "/constructor/events",
];

async function settle(response: Response): Promise<void> {
  // A stream is read briefly, then cancelled: the test only needs to know that it does not hang the request.
  if (response.body) await response.body.cancel();
}

function withTimeout<TValue>(promise: Promise<TValue>, label: string): Promise<TValue> {
  return Promise.race([
    promise,
    new Promise<TValue>((_, reject) => setTimeout(() => reject(new Error(`hung: ${label}`)), 2_000)),
  ]);
}

describe("createFetchHandler under malformed input", () => {
  const orchestrator = createOrchestrator({
    orchestrator: { plan: () => ({ tasks: ["one"] }) },
    worker: () => "done",
    aggregator: { aggregate: async () => ({ output: "done" }) },
  }) as Orchestrator;
  const handler = createFetchHandler(orchestrator, { heartbeatMs: 50 });

  it("never answers 5xx, never hangs", async () => {
    const { next, pick, bytes } = random(20240611);
    const statuses = new Map<number, number>();
    const requests: Array<[string, () => Request]> = [];
    for (let index = 0; index < 600; index++) {
      // Most requests are bodies thrown at POST /, where the parsing is; the rest roam over routes and methods.
      const atCreate = next() < 0.6;
      const method = atCreate ? "POST" : pick(methods);
      const path = atCreate ? "/" : pick(paths);
      const contentType = atCreate && next() < 0.7 ? "application/json" : pick(contentTypes);
      const body = next() < 0.2 ? bytes(Math.floor(next() * 4096)) : pick(bodies);
      const headers: Record<string, string> = {};
      if (contentType !== undefined) headers["content-type"] = contentType;
      if (next() < 0.2)
        headers["idempotency-key"] = pick(["", " ", "k".repeat(10_000), "key\u00e9", "ok-key"]);
      if (next() < 0.2) headers["last-event-id"] = pick(["", "-5", "1.5", "9".repeat(40), "3"]);
      if (next() < 0.1) headers["x-huge"] = "h".repeat(60_000);
      const label = `${method} ${path.slice(0, 60)} ${contentType?.slice(0, 40)} ${String(body).slice(0, 40)}`;
      requests.push([
        label,
        () =>
          new Request(`http://test${path}`, {
            method,
            headers,
            ...(method === "GET" || method === "HEAD" ? {} : { body }),
          }),
      ]);
    }
    // A body larger than the limit, streamed without Content-Length.
    requests.push([
      "streamed 2 MiB",
      () =>
        new Request("http://test/", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: new ReadableStream({
            pull(controller) {
              controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
            },
          }),
          duplex: "half",
        } as RequestInit),
    ]);
    for (const [label, build] of requests) {
      const response = await withTimeout(handler(build()), label);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      expect(response.status, label).toBeLessThan(500);
      if (response.status >= 400) {
        const text = await response.text();
        expect(JSON.parse(text), label).toMatchObject({
          error: { code: expect.any(String), message: expect.any(String) },
        });
        expect(text, label).not.toMatch(/\bat .+:\d+:\d+/);
      } else await settle(response);
    }
    expect(statuses.size).toBeGreaterThan(5);
  });
});
