// What a write changes in an object, as unified-diff hunks over its YAML, without what only the API
// server maintains (managedFields, resourceVersion, uid, timestamps, generation). Secrets arrive
// masked from the cluster (src/kube/masking); a Secret given by the user is masked here the same
// way, and a masked value that changes is marked so the change stays visible.
import { maskedValueChanged, maskSecretObject } from "../kube/masking/secret-objects.ts";
import { MASK } from "../kube/masking/needle-set.ts";
import type { KubeObject } from "../kube/types.ts";
import { cleanObject, yamlDocuments } from "./objects.ts";
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
  const maskedBefore = before && options.maskSecrets ? maskSecretObject(before) : before;
  const maskedAfter = options.maskSecrets ? maskSecretObject(after) : after;
  const beforeView = maskedBefore ? diffView(maskedBefore, options) : undefined;
  const afterView = diffView(maskedAfter, options);
  if (options.maskSecrets) {
    for (const field of ["data", "stringData"] as const) {
      const values = afterView[field];
      if (values === null || typeof values !== "object") continue;
      for (const key of Object.keys(values)) {
        if (maskedValueChanged(maskedBefore, maskedAfter, field, key)) {
          (values as Record<string, unknown>)[key] = `${MASK} (changed)`;
        }
      }
    }
  }
  return unifiedDiff(yamlLines(beforeView), yamlLines(afterView));
}

function yamlLines(object: KubeObject | undefined): string[] {
  return object ? yamlDocuments([object]).trimEnd().split("\n") : [];
}

function diffView(object: KubeObject, options: DiffOptions): KubeObject {
  const cleaned = cleanObject(structuredClone(object));
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
