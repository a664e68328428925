// The product's layers (ARCHITECTURE.md) checked from the source's own imports, so they hold even if
// the matching `no-restricted-imports` rules in eslint.config.js are switched off. Each layer is a
// folder of src/; a layer imports only the layers layers.json allows it, and the SDK, the Kubernetes client
// library and the emulator each have one home.
import { test } from "node:test";
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { importSites, root } from "../helpers/imports.ts";
import layers from "../../layers.json" with { type: "json" };

/** What each layer of src/ may import of the others (besides itself), as eslint.config.js reads it. */
const MAY_IMPORT: Record<string, readonly string[]> = layers;

/** Packages that only one layer (or a few files) may import. */
const PACKAGE_HOMES: readonly { prefix: string; allowed: (file: string) => boolean }[] = [
  { prefix: "@modelcontextprotocol/", allowed: (file) => file.startsWith("src/server/") },
  { prefix: "@kubernetes/client-node", allowed: (file) => file.startsWith("src/kube/") },
  {
    prefix: "@flux-mcp/kube-emulator",
    allowed: (file) => file === "src/cli/in-memory-clusters.ts" || file === "src/cli/apiserver.ts",
  },
];

const layerOf = (file: string) => file.split("/")[1] ?? "";

test("every layer of src/ imports only the layers below it", async () => {
  const sites = await importSites();
  const layers = new Set(sites.map((site) => layerOf(site.file)));
  assert.deepEqual([...layers].sort(), Object.keys(MAY_IMPORT).sort(), "every folder of src/ has its rule");
  const wrong: string[] = [];
  for (const site of sites) {
    if (!site.specifier.startsWith(".")) continue;
    const target = relative(root, join(dirname(join(root, site.file)), site.specifier));
    if (!target.startsWith("src/")) {
      assert.equal(target, "package.json", `${site.file} imports ${site.specifier}, outside src/`);
      continue;
    }
    const from = layerOf(site.file);
    const to = layerOf(target);
    if (to !== from && !(MAY_IMPORT[from] ?? []).includes(to)) wrong.push(`${site.file} -> ${target}`);
  }
  assert.deepEqual(wrong, []);
});

test("the MCP SDK, the Kubernetes client library and the emulator each have one home", async () => {
  const sites = await importSites();
  const wrong = sites
    .filter((site) =>
      PACKAGE_HOMES.some((home) => site.specifier.startsWith(home.prefix) && !home.allowed(site.file)),
    )
    .map((site) => `${site.file} -> ${site.specifier}`);
  assert.deepEqual(wrong, []);
  for (const home of PACKAGE_HOMES) {
    assert.ok(
      sites.some((site) => site.specifier.startsWith(home.prefix)),
      `the scan sees the imports of ${home.prefix}`,
    );
  }
});
