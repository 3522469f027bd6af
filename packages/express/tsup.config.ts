import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  // Keep `node:` specifiers: some builtins (node:sqlite) exist only under that name.
  removeNodeProtocol: false,
  target: "es2023",
});
