import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Tests import workspace packages from their TypeScript sources. An alias, not the "source" export condition:
// a condition applies to every dependency too, and some (eventsource-parser, under `ai`) ship a "source" entry
// pointing at .ts files that Node refuses to load from node_modules.
const packagesDirectory = fileURLToPath(new URL("./packages/", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      {
        find: /^@orchestrator-workers\/([a-z0-9-]+)(\/testing)?$/,
        replacement: `${packagesDirectory}$1/src$2/index.ts`,
      },
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          include: [
            "packages/*/src/**/*.test.ts",
            "examples/*/src/**/*.test.ts",
            "examples/*/test/**/*.test.ts",
            "bench/src/**/*.test.ts",
          ],
          exclude: ["packages/cloudflare/**", "examples/cloudflare-worker/**", "**/node_modules/**"],
          environment: "node",
          testTimeout: 20_000,
        },
      },
      // The Cloudflare adapter's tests run inside workerd (@cloudflare/vitest-plugin); see that file.
      "packages/cloudflare/vitest.config.ts",
      {
        extends: true,
        test: {
          // Starts the example Worker with `wrangler dev` as a real process and runs the curl flow against it.
          name: "cloudflare-e2e",
          include: ["examples/cloudflare-worker/test/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
