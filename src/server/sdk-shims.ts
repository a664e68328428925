// Stands in for `@modelcontextprotocol/server/_shims` in the bundle (scripts/build.ts). The SDK's own
// Node shim imports Ajv to make the default JSON Schema validator, which costs a fifth of a start;
// this server never asks the SDK to validate against a JSON Schema (it sends no elicitation and
// defines its tools with zod), so Ajv loads only if that ever changes, on first use.
import { createRequire } from "node:module";
import process from "node:process";
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from "@modelcontextprotocol/server";
import type * as AjvValidators from "@modelcontextprotocol/server/validators/ajv";

export class DefaultJsonSchemaValidator implements jsonSchemaValidator {
  #ajv: jsonSchemaValidator | undefined;

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    this.#ajv ??= new (
      createRequire(import.meta.url)("@modelcontextprotocol/server/validators/ajv") as typeof AjvValidators
    ).AjvJsonSchemaValidator();
    return this.#ajv.getValidator<T>(schema);
  }
}

export { process };
