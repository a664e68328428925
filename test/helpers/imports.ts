// The product's imports as its source writes them: static (`import … from`, `export … from`, bare
// `import "…"`) and dynamic (`import("…")`), one entry per site, for the architecture tests.
import { readdir, readFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";

export const root = resolve(import.meta.dirname, "../..");

export interface ImportSite {
  /** The importing file, relative to the repository root: "src/tools/tool.ts". */
  file: string;
  specifier: string;
  dynamic: boolean;
}

export async function importSites(): Promise<ImportSite[]> {
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
