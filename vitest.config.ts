import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
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
    ],
  },
});
