import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const packagesDirectory = fileURLToPath(new URL("../", import.meta.url));

export default defineConfig({
  plugins: [cloudflareTest({ wrangler: { configPath: "./test/wrangler.jsonc" } })],
  resolve: {
    alias: [
      {
        find: /^@orchestrator-workers\/([a-z0-9-]+)(\/testing)?$/,
        replacement: `${packagesDirectory}$1/src$2/index.ts`,
      },
    ],
  },
  test: {
    name: "workerd",
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
