// Bundles the CLI into ESM with code splitting: each command's code (the in-memory API server, the
// Kubernetes client, the docs index) lands in its own chunk and loads only when that command runs,
// so `serve` answers the MCP handshake without paying for them.
import { rm } from "node:fs/promises";
import { build } from "esbuild";

await rm("dist", { recursive: true, force: true });
await build({
  entryPoints: { cli: "src/cli/main.ts" },
  outdir: "dist",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node22",
  packages: "external",
  sourcemap: "linked",
  banner: { js: "#!/usr/bin/env node" },
  logLevel: "warning",
});
