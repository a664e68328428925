// RFC 7386 JSON merge patch (application/merge-patch+json): the patch kube-apiserver applies to
// custom resources, and the base that strategic merge patch refines for built-in kinds.
import { cloneJson, isJsonObject, type JsonObject } from "./json-value.ts";

/** Applies `patch` to `target` and returns the result; neither input is modified. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const result: JsonObject = isJsonObject(target) ? cloneJson(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}
