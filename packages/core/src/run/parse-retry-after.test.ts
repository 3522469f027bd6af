import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./parse-retry-after.js";

const now = Date.parse("2026-01-01T00:00:00Z");

describe("parseRetryAfter", () => {
  it("reads retry-after-ms in milliseconds", () => {
    expect(parseRetryAfter({ "retry-after-ms": "1500" }, now)).toBe(1500);
    expect(parseRetryAfter({ "retry-after-ms": "12.5" }, now)).toBe(12.5);
  });

  it("prefers retry-after-ms over retry-after", () => {
    expect(parseRetryAfter({ "retry-after-ms": "200", "retry-after": "5" }, now)).toBe(200);
  });

  it("reads retry-after in seconds", () => {
    expect(parseRetryAfter({ "retry-after": "3" }, now)).toBe(3000);
    expect(parseRetryAfter({ "retry-after": "0" }, now)).toBe(0);
  });

  it("reads retry-after as an HTTP date", () => {
    expect(parseRetryAfter({ "retry-after": "Thu, 01 Jan 2026 00:00:07 GMT" }, now)).toBe(7000);
  });

  it("treats a date in the past as no wait", () => {
    expect(parseRetryAfter({ "retry-after": "Wed, 31 Dec 2025 23:59:00 GMT" }, now)).toBe(0);
  });

  it("matches header names case-insensitively", () => {
    expect(parseRetryAfter({ "Retry-After": "2" }, now)).toBe(2000);
  });

  it("ignores missing and malformed values", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter({}, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "soon" }, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after-ms": "-5" }, now)).toBeUndefined();
    expect(parseRetryAfter({ "retry-after-ms": "abc", "retry-after": "1" }, now)).toBe(1000);
  });
});
