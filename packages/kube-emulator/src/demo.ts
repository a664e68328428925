// The demo fleet: two clusters built from the fixtures shipped with the package.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ClusterSource } from "./loader.ts";

/**
 * The demo fleet's fixtures: the `fixtures/` of the nearest enclosing directory with a package.json,
 * that is flux-mcp's, from its bundle (dist/chunks/) or from this package's sources in the repository.
 */
export function fixturesDirectory(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(directory, "package.json")) && existsSync(join(directory, "fixtures"))) {
      return join(directory, "fixtures");
    }
    const parent = dirname(directory);
    if (parent === directory) throw new Error("the demo fixtures are missing from this installation");
    directory = parent;
  }
}

export function demoClusterSources(fixtures = fixturesDirectory()): ClusterSource[] {
  const toolkitCrds = join(fixtures, "crds", "toolkit.yaml");
  return [
    {
      name: "staging",
      paths: [toolkitCrds, join(fixtures, "crds", "operator.yaml"), join(fixtures, "staging")],
      rebaseTime: true,
    },
    { name: "production", paths: [toolkitCrds, join(fixtures, "production")], rebaseTime: true },
  ];
}
