// The direct walk that compiled JSONPath queries use must select exactly what jsonpath-plus selects,
// on real objects: every fixture of the demo fleet, every path below.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { JSONPath } from "jsonpath-plus";
import { parseAllDocuments } from "yaml";
import { findJsonPath, toJsonPathPlus } from "../../src/kube/jsonpath.ts";

const FIXTURES = join(import.meta.dirname, "../../fixtures/staging");

const PATHS = [
  ".metadata.name",
  ".metadata.labels.app\\.kubernetes\\.io/name",
  "{.metadata.annotations}",
  ".spec",
  ".spec.interval",
  ".spec.suspend",
  ".spec.chart.spec.version",
  ".spec.containers[*].image",
  ".spec.template.spec.containers[0].name",
  ".spec.template.spec.containers[5].name",
  '.status.conditions[?(@.type=="Ready")].status',
  '.status.conditions[?(@.type=="Ready")].message',
  ".status.conditions[?(@.type=='Ready')].reason",
  '.status.conditions[?(@.status=="False")].message',
  '.status.conditions[?(@.status!="True")].type',
  ".status.conditions[*].type",
  ".status.conditions[0]",
  ".status.conditions.length",
  ".status.history[*].chartVersion",
  '.status.containerStatuses[?(@.state.waiting.reason=="CrashLoopBackOff")].name',
  ".metadata.*",
  ".data.*",
  ".missing.field",
  // Shapes the walk leaves to jsonpath-plus.
  "..name",
  ".status.conditions[-1:].type",
  ".status.conditions[?(@.observedGeneration>1)].type",
];

/** Paths the fixtures have no value for: they still must agree on selecting nothing. */
const MAY_MATCH_NOTHING = new Set([
  ".spec.suspend",
  ".spec.template.spec.containers[5].name",
  '.status.containerStatuses[?(@.state.waiting.reason=="CrashLoopBackOff")].name',
  ".missing.field",
]);

function fixtureObjects(): unknown[] {
  return readdirSync(FIXTURES)
    .filter((file) => file.endsWith(".yaml"))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(FIXTURES, file), "utf8")).map((document) => document.toJS()),
    )
    .filter((object) => object !== null && typeof object === "object");
}

describe("compiled JSONPath queries", () => {
  const objects = fixtureObjects();

  it("has fixtures to compare on", () => assert.ok(objects.length > 50));

  for (const path of PATHS) {
    it(`selects what jsonpath-plus selects for ${path}`, () => {
      const plusPath = toJsonPathPlus(path);
      let matched = 0;
      for (const object of objects) {
        const found = findJsonPath(object, path);
        if (found.length > 0) matched++;
        let expected: unknown;
        try {
          expected = JSONPath({ path: plusPath, json: object as object, wrap: true, eval: "safe" });
        } catch {
          // jsonpath-plus gives up on a filter that reads through a missing member (@.a.b without a);
          // kubectl, and the walk, just skip that item.
          continue;
        }
        assert.deepEqual(found, expected, `${path} on ${JSON.stringify(object).slice(0, 120)}`);
      }
      if (!MAY_MATCH_NOTHING.has(path)) assert.ok(matched > 0, `${path} matched nothing`);
    });
  }
});
