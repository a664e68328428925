// The product reaches the in-memory API server (the @flux-mcp/kube-emulator workspace package) at
// two entry points only, both loaded lazily: `serve --demo` and the `apiserver` command. Nothing
// else in src/ may import it, or the emulator would load (and ship its weight) in every process.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const EMULATOR = "@flux-mcp/kube-emulator";

interface ImportSite {
  file: string;
  specifier: string;
  dynamic: boolean;
}

async function importSites(): Promise<ImportSite[]> {
  const entries = await readdir(join(root, "src"), { withFileTypes: true, recursive: true });
  const sites: ImportSite[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const path = join(entry.parentPath, entry.name);
    const file = relative(root, path);
    const text = await readFile(path, "utf8");
    for (const match of text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/gms)) {
      sites.push({ file, specifier: match[1] as string, dynamic: false });
    }
    for (const match of text.matchAll(/^\s*import\s*["']([^"']+)["']/gm)) {
      sites.push({ file, specifier: match[1] as string, dynamic: false });
    }
    for (const match of text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) {
      sites.push({ file, specifier: match[1] as string, dynamic: true });
    }
  }
  return sites;
}

const reachesEmulator = (site: ImportSite) =>
  site.specifier === EMULATOR ||
  site.specifier.startsWith(`${EMULATOR}/`) ||
  site.specifier.includes("packages/");

test("only `serve --demo` and the `apiserver` command import the emulator, and only lazily", async () => {
  const sites = await importSites();
  assert.ok(sites.length > 200, "the scan found the product's imports");
  const emulatorSites = sites.filter(reachesEmulator);
  assert.deepEqual(emulatorSites.map(({ file, dynamic }) => `${file}${dynamic ? " (dynamic)" : ""}`).sort(), [
    "src/cli/apiserver.ts",
    "src/cli/serve.ts (dynamic)",
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
