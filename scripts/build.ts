// Bundles the CLI into one ESM file so the bin starts without resolving hundreds of modules.
import { build } from "esbuild";

await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/cli.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  packages: "external",
  sourcemap: "linked",
  banner: { js: "#!/usr/bin/env node" },
  logLevel: "warning",
});
