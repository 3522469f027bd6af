import { describe, expect, it } from "vitest";
import { fingerprintOf } from "./fingerprint.js";

describe("fingerprintOf", () => {
  it("ignores key order and undefined fields", async () => {
    const first = await fingerprintOf({
      prompt: "p",
      options: { concurrency: 2, metadata: { a: 1, b: [1, 2] } },
    });
    const second = await fingerprintOf({
      options: { metadata: { b: [1, 2], a: 1 }, concurrency: 2 },
      prompt: "p",
      x: undefined,
    });
    expect(first).toBe(second);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
  });

  it("differs when any value differs", async () => {
    expect(await fingerprintOf({ prompt: "p" })).not.toBe(await fingerprintOf({ prompt: "q" }));
    expect(await fingerprintOf({ a: [1, 2] })).not.toBe(await fingerprintOf({ a: [2, 1] }));
  });
});
