// What a write changes in an object, as unified-diff hunks over its YAML, without what only the API
// server maintains (managedFields, resourceVersion, uid, timestamps, generation) and with Secret
// values masked; a masked value that changes is marked so the change stays visible.
import type { KubeObject } from "../../kube/types.ts";
import { cleanObject, MASKED_VALUE, yamlDocuments } from "../output/objects.ts";
import { unifiedDiff } from "./unified-diff.ts";

export interface DiffOptions {
  maskSecrets: boolean;
  /** Status is left out unless the change is to the status itself. */
  keepStatus?: boolean;
}

export function objectDiff(
  before: KubeObject | undefined,
  after: KubeObject,
  options: DiffOptions,
): string[] {
  const beforeView = before ? diffView(before, options) : undefined;
  const afterView = diffView(after, options);
  if (options.maskSecrets && after.kind === "Secret" && after.apiVersion === "v1") {
    for (const field of ["data", "stringData"]) maskValues(beforeView?.[field], afterView[field]);
  }
  return unifiedDiff(yamlLines(beforeView), yamlLines(afterView));
}

function yamlLines(object: KubeObject | undefined): string[] {
  return object ? yamlDocuments([object]).trimEnd().split("\n") : [];
}

function diffView(object: KubeObject, options: DiffOptions): KubeObject {
  const cleaned = cleanObject(structuredClone(object), { maskSecrets: false });
  const {
    uid: _uid,
    resourceVersion: _resourceVersion,
    generation: _generation,
    creationTimestamp: _creationTimestamp,
    selfLink: _selfLink,
    ...metadata
  } = cleaned.metadata;
  const { status, ...rest } = cleaned;
  return { ...rest, metadata, ...(options.keepStatus && status !== undefined && { status }) };
}

function maskValues(before: unknown, after: unknown): void {
  const old = before && typeof before === "object" ? (before as Record<string, unknown>) : {};
  const next = after && typeof after === "object" ? (after as Record<string, unknown>) : undefined;
  if (next) {
    for (const key of Object.keys(next)) {
      next[key] = key in old && old[key] !== next[key] ? `${MASKED_VALUE} (changed)` : MASKED_VALUE;
    }
  }
  for (const key of Object.keys(old)) old[key] = MASKED_VALUE;
}
