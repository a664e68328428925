// The bench's reference servers bundled as flux-mcp is bundled (scripts/build.ts): one ESM file by
// esbuild for Node 22, its dependencies resolved from the project, so that they start and load
// their code the way flux-mcp does and a difference between them is not the bundling's.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export async function bundleLikeFluxMcp(source: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [source],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    // Resolved from the project, where the SDK is installed.
    nodePaths: [fileURLToPath(new URL("../node_modules", import.meta.url))],
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
    },
    logLevel: "warning",
  });
}
