// Temporary: lets the store tests import runStoreContract before core's testing entry exports it.
import { defineConfig } from "vitest/config";

const packages = "/work/main/packages/";
export default defineConfig({
  root: "/work/main",
  resolve: {
    alias: [
      { find: /^@orchestrator-workers\/core\/testing$/, replacement: `${packages}core/src/testing/run-store-contract.ts` },
      { find: /^@orchestrator-workers\/([a-z0-9-]+)$/, replacement: `${packages}$1/src/index.ts` },
    ],
  },
  test: { include: ["packages/*/src/**/*.test.ts"], testTimeout: 20_000 },
});
