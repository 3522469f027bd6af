import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseArgs } from "../src/parse-args.js";
import { startFakeOpenAI } from "./fake-openai-server.js";

const exampleRoot = fileURLToPath(new URL("..", import.meta.url));

function runDemo(args: string[], environment: Record<string, string | undefined> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const { OPENAI_API_KEY: _key, OPENAI_BASE_URL: _url, ...rest } = process.env;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=source", "src/main.ts", ...args],
      {
        cwd: exampleRoot,
        env: { ...rest, ...environment },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("pnpm demo", () => {
  it("runs offline on scripted models, says so, shows progress, output and usage", async () => {
    const { code, stdout } = await runDemo(["--latency", "20", "Compare three ways to cache HTTP responses"]);
    expect(code).toBe(0);
    expect(stdout).toContain("SCRIPTED OFFLINE MODELS");
    expect(stdout).toMatch(/planned t1: /);
    expect(stdout).toMatch(/completed t\d in \d+\.\ds \(\d+ tokens\)/);
    expect(stdout).toContain("status: completed");
    expect(stdout).toContain('[scripted] Answer to "Compare three ways to cache HTTP responses"');
    expect(stdout).toMatch(
      /usage: \d+ tokens \(in \d+, out \d+\) — orchestrator \d+, workers \d+, aggregator \d+/,
    );
  }, 40_000);

  it("uses an OpenAI-compatible server when OPENAI_BASE_URL is set, picking its first model", async () => {
    const fake = await startFakeOpenAI();
    try {
      const { code, stdout, stderr } = await runDemo(["Do two things"], { OPENAI_BASE_URL: fake.url });
      expect(stderr).toBe("");
      expect(code).toBe(0);
      expect(stdout).not.toContain("SCRIPTED");
      expect(stdout).toContain(
        `models: OpenAI-compatible server ${fake.url} (orchestrator fake-llama, workers fake-llama)`,
      );
      expect(stdout).toContain("FAKE FINAL ANSWER combining both parts.");
      expect(fake.requests.paths[0]).toBe("GET /v1/models");
      expect(
        fake.requests.bodies.filter(
          (body) => (body.response_format as { type?: string } | undefined)?.type === "json_schema",
        ),
      ).toHaveLength(1);
      expect(fake.requests.bodies.every((body) => body.model === "fake-llama")).toBe(true);
      expect(stdout).toMatch(/usage: \d+ tokens/);
    } finally {
      await fake.close();
    }
  }, 40_000);

  it("explains a bad option precisely and exits non-zero", async () => {
    const { code, stderr } = await runDemo(["--concurrency", "zero"]);
    expect(code).toBe(1);
    expect(stderr).toContain('--concurrency expects a positive integer, received "zero"');
  }, 40_000);
});

describe("parseArgs", () => {
  it("joins words into the prompt and validates the store", () => {
    expect(parseArgs(["--store", "sqlite:/tmp/x.db", "hello", "world"])).toMatchObject({
      prompt: "hello world",
      store: "sqlite:/tmp/x.db",
    });
    expect(() => parseArgs(["--store", "redis://x"])).toThrow("--store must be memory: or sqlite:<path>");
    expect(() => parseArgs(["--nope"])).toThrow("Unknown option --nope.");
  });
});
