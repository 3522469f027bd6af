import { describe, expect, it } from "vitest";
import { defaultStoreUrl, readServerConfig } from "./server-config.js";

describe("readServerConfig", () => {
  it("defaults to port 8787, a SQLite file under .data and a 30 s lease", () => {
    expect(readServerConfig({})).toEqual({
      port: 8787,
      host: undefined,
      storeUrl: defaultStoreUrl,
      latencyMs: 400,
      leaseMs: 30_000,
    });
    expect(defaultStoreUrl).toBe("sqlite:.data/runs.db");
  });

  it("reads every variable", () => {
    expect(
      readServerConfig({
        PORT: "0",
        HOST: "127.0.0.1",
        STORE_URL: "redis://127.0.0.1:6379",
        LATENCY_MS: "0",
        LEASE_MS: "1000",
      }),
    ).toEqual({
      port: 0,
      host: "127.0.0.1",
      storeUrl: "redis://127.0.0.1:6379",
      latencyMs: 0,
      leaseMs: 1000,
    });
  });

  it("names the variable, the range and the value when one is wrong", () => {
    expect(() => readServerConfig({ PORT: "80a" })).toThrow(
      'PORT must be an integer from 0 to 65535, received "80a".',
    );
    expect(() => readServerConfig({ PORT: "70000" })).toThrow("PORT must be an integer from 0 to 65535");
    expect(() => readServerConfig({ LEASE_MS: "10" })).toThrow(
      'LEASE_MS must be an integer from 100 to 3600000, received "10".',
    );
    expect(() => readServerConfig({ LATENCY_MS: "-1" })).toThrow("LATENCY_MS must be an integer");
  });
});
