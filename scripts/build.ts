// Bundles the CLI into ESM with code splitting: each command's code (the in-memory API server, the
// Kubernetes client, the docs index) lands in its own chunk and loads only when that command runs,
// so `serve` answers the MCP handshake without paying for them.
import { rm } from "node:fs/promises";
import { build } from "esbuild";
import { inputSchemas } from "../src/server/tool-catalogue.ts";
import { ALL_TOOLS } from "../src/tools/index.ts";

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
  // Dependencies are bundled too: one file to read instead of hundreds at every start, and of the
  // Kubernetes client only what KubeConfig needs (a third of its memory). The in-memory API server
  // (the private workspace package @flux-mcp/kube-emulator, imported dynamically) lands with its own
  // dependencies in lazily loaded chunks, since the published package cannot depend on it. Left
  // out: what only the docs index loads, lazily anyway.
  external: ["minisearch", "stemmer"],
  alias: { "@modelcontextprotocol/server/_shims": "./src/server/sdk-shims.ts" },
  sourcemap: "linked",
  // The tools' JSON Schemas, made now rather than at every start.
  define: { FLUX_MCP_INPUT_SCHEMAS: JSON.stringify(JSON.stringify(inputSchemas(ALL_TOOLS))) },
  // Bundled CommonJS dependencies require Node's built-in modules; ESM has no `require` of its own.
  banner: {
    js: '#!/usr/bin/env node\nimport { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
  },
  logLevel: "warning",
});
