// The bundle's stand-in for the SDK's Node shim still validates JSON Schema when asked, loading Ajv then.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DefaultJsonSchemaValidator } from "../../src/server/sdk-shims.ts";

test("the default JSON Schema validator loads Ajv on first use and validates", () => {
  const validate = new DefaultJsonSchemaValidator().getValidator<{ replicas: number }>({
    type: "object",
    properties: { replicas: { type: "integer", minimum: 1 } },
    required: ["replicas"],
  });
  assert.equal(validate({ replicas: 2 }).valid, true);
  const refused = validate({ replicas: 0 });
  assert.equal(refused.valid, false);
  assert.match(refused.errorMessage ?? "", /minimum|>= 1/);
});
