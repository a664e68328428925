// The YAML of answers reads back as the data it was written from, with the YAML 1.2 reader the
// product uses (`yaml`) and with js-yaml, for the demo fixtures and for any JSON data.
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { encode } from "gpt-tokenizer";
import { CORE_SCHEMA, load, loadAll } from "js-yaml";
import { parse, parseAllDocuments, stringify } from "yaml";
import { fixturesDirectory } from "../helpers/apiserver.ts";
import { yamlDocuments } from "../../src/format/objects.ts";
import { viewObject } from "../../src/format/object-view.ts";
import type { KubeObject } from "../../src/kube/types.ts";

function readBack(text: string): { yaml: unknown; jsYaml: unknown } {
  return { yaml: parse(text), jsYaml: load(text, { schema: CORE_SCHEMA }) };
}

/** Whether some multi-line string in `value` has a line of spaces or tabs only. */
function hasLineOfSpacesOnly(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\n") && /^[ \t]+$/m.test(value);
  if (value === null || typeof value !== "object") return false;
  return Object.entries(value).some(
    ([key, member]) => hasLineOfSpacesOnly(key) || hasLineOfSpacesOnly(member),
  );
}

async function fixtureObjects(): Promise<KubeObject[]> {
  const objects: KubeObject[] = [];
  const directory = fixturesDirectory();
  for (const entry of await readdir(directory, { recursive: true })) {
    if (!entry.endsWith(".yaml")) continue;
    const text = await readFile(join(directory, entry), "utf8");
    for (const document of parseAllDocuments(text)) {
      const object = document.toJS() as KubeObject | null;
      if (object?.metadata) objects.push(object);
    }
  }
  return objects;
}

describe("yamlDocuments", () => {
  it("reads back as every demo fixture object, in no more tokens than `yaml` writes it", async () => {
    const objects = await fixtureObjects();
    assert.ok(objects.length > 200, `${objects.length} fixture objects`);
    for (const object of objects) {
      const shown = viewObject(object);
      const text = yamlDocuments([shown]);
      const back = readBack(text);
      assert.deepEqual(back.yaml, shown, text);
      assert.deepEqual(back.jsYaml, shown, text);
      const before = stringify(shown, { lineWidth: 0, aliasDuplicateObjects: false });
      assert.ok(encode(text).length <= encode(before).length, `${text}\nlonger than\n${before}`);
    }
  });

  it("quotes strings that a YAML reader would take for numbers, booleans or null", () => {
    const looksTyped = [
      "+.5",
      "-.5",
      ".5",
      "1e309",
      "0o17",
      "0x1F",
      "0755",
      "12",
      "1.0",
      ".inf",
      "-.Inf",
      ".NaN",
      "True",
      "false",
      "null",
      "~",
      "",
      "yes",
      "on",
      "off",
      "no",
      "y",
    ];
    const data = Object.fromEntries(looksTyped.map((text, index) => [`k${index}`, text]));
    const text = yamlDocuments([data]);
    for (const line of text.trimEnd().split("\n")) assert.match(line, /^k\d+: ".*"$/, line);
    assert.deepEqual(readBack(text).yaml, data);
    assert.deepEqual(readBack(text).jsYaml, data);
  });

  it("keeps multi-line strings as literal blocks, masked values, unicode and keys with colons", () => {
    const data = {
      message: "Health check failed:\n  timeout waiting for Deployment/web\n",
      script: "#!/bin/sh\necho done",
      data: { password: "****", "config.yaml": "a: b\nc: [1, 2]" },
      "app.kubernetes.io/name: odd": "日本語 ✓ 😀",
      revision: "main@sha1:368d4fc8097a909bc921f88e416fae0c88f46aec",
      time: "2026-12-05T05:40:57Z",
    };
    const text = yamlDocuments([data]);
    assert.match(text, /^message: \|\n {2}Health check failed:\n {4}timeout/m);
    assert.match(text, /^ {2}password: "\*\*\*\*"$/m);
    assert.match(text, /^time: 2026-12-05T05:40:57Z$/m, "a time stays a plain string, as before");
    assert.deepEqual(readBack(text).yaml, data);
    assert.deepEqual(readBack(text).jsYaml, data);
  });

  it("writes a top-level key that would read as a document marker so that it does not", () => {
    const data = { "... x": 1, "--- y": [2], z: "..." };
    const text = yamlDocuments([data, { after: true }]);
    assert.deepEqual(
      parseAllDocuments(text).map((document) => document.toJS()),
      [data, { after: true }],
    );
    assert.deepEqual(loadAll(text, null, { schema: CORE_SCHEMA }), [data, { after: true }]);
  });

  it("leaves out undefined members, as JSON does, and refuses what is not JSON data", () => {
    assert.equal(yamlDocuments([{ a: undefined, b: [undefined, 1] }]), "b:\n  - null\n  - 1\n");
    assert.throws(() => yamlDocuments([{ when: new Date(0) }]));
  });

  it("reads back as any JSON object", () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc
        .array(
          fc.constantFrom("a", "0", "1", ".", "e", "+", "-", ":", " ", "#", "\n", "\t", '"', "'", "..."),
          {
            maxLength: 8,
          },
        )
        .map((parts) => parts.join("")),
    );
    const leaf = fc.oneof(
      text,
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        leaf,
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(text, tie("value"), { maxKeys: 4, noNullPrototype: true }),
      ),
    }));
    fc.assert(
      fc.property(fc.dictionary(text, value, { maxKeys: 5, noNullPrototype: true }), (data) => {
        const back = readBack(yamlDocuments([data]));
        assert.deepEqual(back.jsYaml, data);
        // `yaml` reads a literal block's line of only spaces short (`|2` then three spaces reads "",
        // not " \n" as js-yaml and PyYAML read it); everywhere else it reads what the spec says.
        if (!hasLineOfSpacesOnly(data)) assert.deepEqual(back.yaml, data);
      }),
      { numRuns: 2000 },
    );
  });
});
