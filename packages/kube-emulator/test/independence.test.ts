// The emulator is a test double of Kubernetes and Flux: it must not share code with the product it
// tests, or a mistake there would be made the same way on both sides and go unnoticed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";

const packageRoot = resolve(import.meta.dirname, "..");

async function sourceFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|js|mjs)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every module specifier of a file: static imports and re-exports, side-effect and dynamic imports. */
function specifiersOf(text: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/gms,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1] as string));
}

test("no file of the emulator imports anything outside it but Node and its own dependencies", async () => {
  const manifest = JSON.parse(await readFile(join(packageRoot, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const allowed = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)]);
  const files = [
    ...(await sourceFiles(join(packageRoot, "src"))),
    ...(await sourceFiles(join(packageRoot, "test"))),
  ];
  const outside: string[] = [];
  let relativeImports = 0;
  for (const file of files) {
    for (const specifier of specifiersOf(await readFile(file, "utf8"))) {
      const where = `${relative(packageRoot, file)} imports "${specifier}"`;
      if (specifier.startsWith(".")) {
        relativeImports++;
        const target = resolve(dirname(file), specifier);
        if (relative(packageRoot, target).startsWith("..")) outside.push(where);
      } else if (!specifier.startsWith("node:")) {
        const name = specifier.startsWith("@")
          ? specifier.split("/").slice(0, 2).join("/")
          : specifier.split("/")[0];
        if (!allowed.has(name ?? "")) outside.push(where);
      }
    }
  }
  assert.ok(relativeImports > 100, `the scan found the package's own imports (${relativeImports})`);
  assert.deepEqual(outside, []);
});

test("the scan sees every form of import", () => {
  const text = [
    'import { a } from "./a.ts";',
    'import type {\n  B,\n} from "../../src/b.ts";',
    'export { c } from "flux-mcp";',
    'import "reflect-metadata";',
    'const d = await import("../d.ts");',
  ].join("\n");
  assert.deepEqual(specifiersOf(text).sort(), [
    "../../src/b.ts",
    "../d.ts",
    "./a.ts",
    "flux-mcp",
    "reflect-metadata",
  ]);
});
