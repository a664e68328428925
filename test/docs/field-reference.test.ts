// The field reference pages (docs/knowledge/fields/<kind>.md) against the real Flux CRDs: every
// spec field a CRD has is documented, by its dotted path, and no field it lacks.
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";

const CRD_DIR = "test/data/flux-crds";
const FIELDS_DIR = "docs/knowledge/fields";

interface Schema {
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
}

interface Crd {
  spec: {
    names: { kind: string };
    versions: { name: string; storage?: boolean; schema?: { openAPIV3Schema?: Schema } }[];
  };
}

/** Dotted paths of every field under `spec`; list items and map values add no segment. */
function specPaths(prefix: string, schema: Schema): string[] {
  const holder =
    schema.items ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : schema);
  if (holder !== schema) return specPaths(prefix, holder);
  return Object.entries(schema.properties ?? {}).flatMap(([name, field]) => {
    const path = `${prefix}.${name}`;
    return [path, ...specPaths(path, field)];
  });
}

/** The field paths a page documents: list items that start with a backticked `spec…` path. */
function documentedPaths(page: string): string[] {
  return [...page.matchAll(/^- `(spec(?:\.[A-Za-z0-9]+)*)`/gm)].map((match) => match[1] ?? "");
}

async function crds(): Promise<Crd[]> {
  const found: Crd[] = [];
  for (const controller of await readdir(CRD_DIR, { withFileTypes: true })) {
    if (!controller.isDirectory()) continue;
    for (const file of await readdir(join(CRD_DIR, controller.name))) {
      found.push(parse(await readFile(join(CRD_DIR, controller.name, file), "utf8")) as Crd);
    }
  }
  return found;
}

describe("field reference pages", async () => {
  const all = await crds();

  it("cover every Flux kind whose CRD is at hand", () => {
    assert.ok(all.length >= 18, `found ${all.length} CRDs`);
  });

  for (const crd of all) {
    const kind = crd.spec.names.kind;
    it(`${kind}: every spec field of the CRD is documented, and no other`, async () => {
      const version = crd.spec.versions.find((candidate) => candidate.storage) ?? crd.spec.versions[0];
      const spec = version?.schema?.openAPIV3Schema?.properties?.spec;
      assert.ok(spec, `${kind} has a spec schema`);
      const page = await readFile(join(FIELDS_DIR, `${kind.toLowerCase()}.md`), "utf8");
      const documented = new Set(documentedPaths(page));
      const real = new Set(specPaths("spec", spec));
      const missing = [...real].filter((path) => !documented.has(path));
      const unknown = [...documented].filter((path) => !real.has(path));
      assert.deepEqual({ missing, unknown }, { missing: [], unknown: [] });
      assert.match(page, /^## Example$/m, `${kind} has an example`);
      assert.match(page, /^## Conditions and reasons$/m, `${kind} lists its conditions and reasons`);
    });
  }
});
