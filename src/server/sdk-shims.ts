// Stands in for `@modelcontextprotocol/server/_shims` in the bundle (scripts/build.ts). The SDK's own
// Node shim imports Ajv to make the default JSON Schema validator, about 9 ms of every handshake;
// this server never asks the SDK to validate against a JSON Schema (it sends no elicitation and
// defines its tools with zod), so Ajv loads only if that ever changes, on first use. A plain
// `require` of a literal: the bundler includes Ajv (evaluated only when required), so the installed
// package needs no dependency for it. Kept because it is measurable (issue 11): on a quiet machine,
// 3 runs of 20 cold starts paired per round, with ÷ without it, spawn → initialize 0.92, 0.93, 0.92
// (p10–p90 0.90–0.97) and spawn → first tool answer 0.97, 0.97, 0.97 (0.93–1.02), 2026-12-04.
import { createRequire } from "node:module";
import process from "node:process";
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from "@modelcontextprotocol/server";
import type * as AjvValidators from "@modelcontextprotocol/server/validators/ajv";

export class DefaultJsonSchemaValidator implements jsonSchemaValidator {
  #ajv: jsonSchemaValidator | undefined;

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    if (!this.#ajv) {
      // The bundle has `require` and includes Ajv for it; run from the sources, Node resolves it.
      const validators = (
        typeof require === "function"
          ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- bundled, evaluated on first use only
            require("@modelcontextprotocol/server/validators/ajv")
          : createRequire(import.meta.url)("@modelcontextprotocol/server/validators/ajv")
      ) as typeof AjvValidators;
      this.#ajv = new validators.AjvJsonSchemaValidator();
    }
    return this.#ajv.getValidator<T>(schema);
  }
}

export { process };
