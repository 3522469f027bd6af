import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2023",
  // Provided by the Workers runtime, and types only.
  external: [/^cloudflare:/, "@cloudflare/workers-types"],
});
