// The product reaches the in-memory API server (the @flux-mcp/kube-emulator workspace package) at
// two entry points only, both loaded lazily: the clusters `serve --demo` and `serve --snapshot` bring
// (cli/in-memory-clusters.ts) and the `apiserver` command. Nothing
// else in src/ may import it, or the emulator would load (and ship its weight) in every process.
import { test } from "node:test";
import assert from "node:assert/strict";
import { importSites, type ImportSite } from "../helpers/imports.ts";

const EMULATOR = "@flux-mcp/kube-emulator";

const reachesEmulator = (site: ImportSite) =>
  site.specifier === EMULATOR ||
  site.specifier.startsWith(`${EMULATOR}/`) ||
  site.specifier.includes("packages/");

test("only the in-memory clusters of serve and the `apiserver` command import the emulator, and only lazily", async () => {
  const sites = await importSites();
  assert.ok(sites.length > 200, "the scan found the product's imports");
  const emulatorSites = sites.filter(reachesEmulator);
  assert.deepEqual(emulatorSites.map(({ file, dynamic }) => `${file}${dynamic ? " (dynamic)" : ""}`).sort(), [
    "src/cli/apiserver.ts",
    "src/cli/in-memory-clusters.ts (dynamic)",
  ]);
  assert.ok(
    emulatorSites.every((site) => site.specifier === EMULATOR),
    "the package's entry point, nothing deeper",
  );
  // The apiserver command itself is loaded only on demand.
  const commandSites = sites.filter(
    (site) => site.file !== "src/cli/apiserver.ts" && /\/apiserver\.ts$/.test(site.specifier),
  );
  assert.deepEqual(
    commandSites.map(({ file, dynamic }) => `${file}${dynamic ? " (dynamic)" : ""}`),
    ["src/cli/run.ts (dynamic)"],
  );
});
