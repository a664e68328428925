// Rules every tool of the catalogue keeps, checked on the catalogue itself and on the input schemas
// the build embeds (inputSchemas is what scripts/build.ts bakes into dist/cli.js): clients and
// models rely on them, and a new tool that breaks one fails here rather than in some client.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inputSchemas } from "../../src/server/tool-catalogue.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";

const schemas = Object.entries(inputSchemas(ALL_TOOLS));

describe("tool catalogue rules", () => {
  it("has tools, each with a unique name", () => {
    assert.ok(ALL_TOOLS.length > 10);
    const names = ALL_TOOLS.map((tool) => tool.name);
    assert.deepEqual(
      names.filter((name, index) => names.indexOf(name) !== index),
      [],
    );
  });

  it("describes every parameter of every tool", () => {
    assert.ok(schemas.length >= ALL_TOOLS.length);
    const parameters = schemas.reduce(
      (sum, [, schema]) => sum + Object.keys(schema.properties ?? {}).length,
      0,
    );
    assert.ok(parameters > 50, `the schemas list their parameters (${parameters})`);
    const undescribed = schemas.flatMap(([tool, schema]) =>
      Object.entries((schema.properties ?? {}) as Record<string, { description?: unknown }>)
        .filter(
          ([, property]) => typeof property.description !== "string" || property.description.trim() === "",
        )
        .map(([name]) => `${tool}.${name}`),
    );
    assert.deepEqual(undescribed, []);
  });

  it("has annotations that agree with whether the tool writes", () => {
    const disagreeing = ALL_TOOLS.filter((tool) => {
      const { readOnlyHint, destructiveHint } = tool.annotations;
      if (readOnlyHint === tool.writes) return true;
      // A tool that only reads cannot destroy anything.
      return readOnlyHint && destructiveHint;
    }).map((tool) => `${tool.name} (writes: ${tool.writes}, ${JSON.stringify(tool.annotations)})`);
    assert.deepEqual(disagreeing, []);
    assert.ok(ALL_TOOLS.some((tool) => tool.writes) && ALL_TOOLS.some((tool) => !tool.writes));
  });

  it("gives every tool a plain object input schema, without top-level anyOf, oneOf or allOf", () => {
    const offending = schemas
      .filter(
        ([, schema]) =>
          schema.type !== "object" || "anyOf" in schema || "oneOf" in schema || "allOf" in schema,
      )
      .map(([tool]) => tool);
    assert.deepEqual(offending, []);
  });
});
