import { describe, expect, it } from "vitest";
import { isValidRunId, matchRoute } from "./match-route.js";

describe("matchRoute", () => {
  it.each([
    ["/", "", "runs", undefined],
    ["/abc", "", "run", "abc"],
    ["/abc/", "", "run", "abc"],
    ["/abc/events", "", "run-events", "abc"],
    ["/abc/cancel", "", "run-cancel", "abc"],
    ["/runs", "/runs", "runs", undefined],
    ["/runs/", "/runs", "runs", undefined],
    ["/runs/abc/events", "/runs", "run-events", "abc"],
  ])("matches %s under %j", (path, basePath, name, id) => {
    const match = matchRoute(path, basePath);
    expect(match?.name).toBe(name);
    expect(match?.id).toBe(id);
  });

  it.each([
    ["/abc/other", ""],
    ["/abc/events/more", ""],
    ["//events", ""],
    ["/runsabc", "/runs"],
    ["/other/abc", "/runs"],
  ])("does not match %s under %j", (path, basePath) => {
    expect(matchRoute(path, basePath)).toBeUndefined();
  });

  it("accepts UUIDs and Workflows instance ids, nothing else", () => {
    expect(isValidRunId(crypto.randomUUID())).toBe(true);
    expect(isValidRunId("my_instance-1")).toBe(true);
    expect(isValidRunId("a".repeat(129))).toBe(false);
    expect(isValidRunId("%2e%2e")).toBe(false);
    expect(isValidRunId("-leading")).toBe(false);
    expect(isValidRunId("a b")).toBe(false);
  });
});
