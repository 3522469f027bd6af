import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeStoreUrl } from "./describe-store-url.js";
import { openStore } from "./open-store.js";
import { takeParameter } from "./take-parameter.js";

const folder = mkdtempSync(join(tmpdir(), "example-shared-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("openStore", () => {
  it("opens memory: and a SQLite file, creating its folder", async () => {
    const memory = await openStore("memory:");
    expect(typeof memory.store.createRun).toBe("function");
    await memory.close();

    const path = join(folder, "nested", "runs.db");
    const sqlite = await openStore(`sqlite:${path}`);
    const { created } = await sqlite.store.createRun({ id: "run-1", createdAt: 1 });
    expect(created).toBe(true);
    expect(existsSync(path)).toBe(true);
    expect(sqlite.description).toBe(`sqlite:${path}`);
    await sqlite.close();
  });

  it("names the accepted forms for an unknown URL, without echoing a password", async () => {
    await expect(openStore("mysql://user:secret@db/runs")).rejects.toThrow(
      'Unknown store URL "mysql://user:***@db/runs": expected memory:, sqlite:<path>, redis://',
    );
    await expect(openStore("sqlite:")).rejects.toThrow("Unknown store URL");
  });
});

describe("describeStoreUrl", () => {
  it("hides passwords and leaves everything else alone", () => {
    expect(describeStoreUrl("postgres://app:s3cret@db:5432/runs")).toBe("postgres://app:***@db:5432/runs");
    expect(describeStoreUrl("redis://127.0.0.1:6379")).toBe("redis://127.0.0.1:6379");
    expect(describeStoreUrl("sqlite:.data/runs.db")).toBe("sqlite:.data/runs.db");
  });
});

describe("takeParameter", () => {
  it("takes our parameter out of a connection URL and leaves the driver's alone", () => {
    expect(takeParameter("redis://127.0.0.1:6379/2?keyPrefix=app1:", "keyPrefix")).toEqual({
      connection: "redis://127.0.0.1:6379/2",
      option: "app1:",
    });
    expect(takeParameter("postgres://u@db/test?sslmode=require&schema=app1", "schema")).toEqual({
      connection: "postgres://u@db/test?sslmode=require",
      option: "app1",
    });
    expect(takeParameter("postgres://u@db/test", "schema")).toEqual({
      connection: "postgres://u@db/test",
      option: undefined,
    });
  });
});
