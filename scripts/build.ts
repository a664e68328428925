// Bundles the CLI into ESM with code splitting: each command's code (the in-memory API server, the
// Kubernetes client, the docs index) lands in its own chunk and loads only when that command runs,
// so `serve` answers the MCP handshake without paying for them.
//
// `--read-only` makes the hardened flavour: the write tools' code is left out of the bundle
// entirely, so no flag can bring them back. `--outdir DIR` writes somewhere other than dist/.
import { rm } from "node:fs/promises";
import { parseArgs } from "node:util";
import { relative, resolve } from "node:path";
import { build, type Plugin } from "esbuild";
import { recordHandshakes } from "../src/server/handshake-record.ts";
import { inputSchemas } from "../src/server/tool-catalogue.ts";
import { ALL_TOOLS } from "../src/tools/index.ts";
import packageJson from "../package.json" with { type: "json" };

/**
 * Tool modules only define values (their zod schemas are calls, which esbuild would otherwise keep
 * for their possible side effects): a tool module nothing uses is dropped whole.
 */
const toolModulesArePlainValues: Plugin = {
  name: "tool-modules-are-plain-values",
  setup(build) {
    build.onResolve({ filter: /^\.\.?\/.*\.ts$/ }, async (args) => {
      if (args.pluginData === "resolving") return undefined;
      const result = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: "resolving",
      });
      const inTools = relative(resolve("src/tools"), result.path);
      if (result.errors.length > 0 || inTools.startsWith("..")) return result;
      return { ...result, sideEffects: false };
    });
  },
};

const { values: flags } = parseArgs({
  options: { "read-only": { type: "boolean", default: false }, outdir: { type: "string", default: "dist" } },
});
const writeTools = !flags["read-only"];
const tools = ALL_TOOLS.filter((tool) => writeTools || !tool.writes);

await rm(flags.outdir, { recursive: true, force: true });
await build({
  entryPoints: { cli: "src/cli/main.ts" },
  outdir: flags.outdir,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node22",
  // Dependencies are bundled too (the lazily loaded ones into their own chunks): one file to read
  // instead of hundreds at every start, of the Kubernetes client only what KubeConfig needs (a third
  // of its memory), and an installed package that needs no runtime dependencies. The in-memory API
  // server (the private workspace package @flux-mcp/kube-emulator, imported dynamically) lands with
  // its own dependencies in lazily loaded chunks, since the published package cannot depend on it.
  alias: { "@modelcontextprotocol/server/_shims": "./src/server/sdk-shims.ts" },
  sourcemap: "linked",
  // Folds the FLUX_MCP_WRITE_TOOLS conditions, so the write tools' modules become unused and go.
  minifySyntax: true,
  plugins: [toolModulesArePlainValues],
  // The tools' JSON Schemas, made now rather than at every start; and the SDK's initialize answers,
  // which stdio gives while the SDK loads (src/server/early-handshake.ts).
  define: {
    FLUX_MCP_INPUT_SCHEMAS: JSON.stringify(JSON.stringify(inputSchemas(tools))),
    FLUX_MCP_HANDSHAKES: JSON.stringify(JSON.stringify(await recordHandshakes(tools, packageJson.version))),
    FLUX_MCP_WRITE_TOOLS: JSON.stringify(writeTools),
  },
  // Bundled CommonJS dependencies require Node's built-in modules; ESM has no `require` of its own.
  banner: {
    js: '#!/usr/bin/env node\nimport { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
  },
  logLevel: "warning",
});
