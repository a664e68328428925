// Server-side apply (application/apply-patch+yaml): the applied configuration is merged over the
// live object and its fields become the manager's; another manager's field whose value the apply
// would change is a conflict unless forced; fields the manager applied before but dropped now,
// and nobody else owns, are removed.
import type { KubeObject } from "../types.ts";
import { difference, formatFieldPath, intersection, sameFieldSet, sortedPaths, union } from "./field-set.ts";
import type { FieldSet } from "./field-set.ts";
import { mergeAppliedObject } from "./apply-merge.ts";
import {
  isManager,
  readFieldManagers,
  withManagedFields,
  type FieldManager,
  type ManagedFieldsOperation,
} from "./managed-fields.ts";
import { appliedFieldSet, compareFields, trackingScope, type TrackingScope } from "./object-fields.ts";
import { PatchError } from "./patch-error.ts";
import { pruneFields } from "./prune.ts";

export { recordUpdate } from "./managed-fields.ts";

export interface ApplyRequest {
  live: KubeObject | undefined;
  applied: KubeObject;
  manager: string;
  force: boolean;
  now: string;
  subresource?: "status";
  /** The apiVersion of the request, recorded in the manager's entry. */
  apiVersion: string;
  /** A main-resource apply to a kind with a status subresource: `.status` in the config is ignored. */
  ignoreStatus?: boolean;
}

export interface FieldConflict {
  manager: string;
  /** ".spec.replicas" style; keyed items like .spec.containers[name="web"].image */
  field: string;
  /** The conflicting entry's operation; Kubernetes names the apiVersion of "Update" managers only. */
  operation?: ManagedFieldsOperation;
  apiVersion?: string;
  subresource?: string;
}

export type ApplyResult = { object: KubeObject } | { conflicts: FieldConflict[] };

/** Owner of every field of an object that had no managedFields when it was first applied to. */
export const BEFORE_FIRST_APPLY_MANAGER = "before-first-apply";

export function serverSideApply(request: ApplyRequest): ApplyResult {
  const { live, applied, manager, force, now, subresource, apiVersion } = request;
  const sentManagedFields = applied.metadata.managedFields;
  if (Array.isArray(sentManagedFields) && sentManagedFields.length > 0) {
    throw new PatchError("metadata.managedFields must be nil", 400);
  }
  const scope = trackingScope(applied.apiVersion, subresource, request.ignoreStatus ?? false);
  const appliedFields = appliedFieldSet(applied, scope);
  const managers = live ? currentManagers(live, scope, now) : [];
  const previous = managers.find((entry) => isManager(entry, manager, "Apply", subresource));
  const others = managers.filter((entry) => entry !== previous);
  const owned = union(appliedFields, ...others.map((entry) => entry.fields));

  const merged = mergeAppliedObject(live, applied, scope);
  if (previous) pruneFields(merged, difference(previous.fields, owned), owned, scope.builtIn);
  const { changed, removed } = compareFields(live ?? {}, merged, scope);

  const conflicts = others.flatMap((entry) => conflictsWith(entry, changed));
  if (conflicts.length > 0 && !force) return { conflicts };

  // Forcing moves the conflicting fields to the applier; without conflicts this changes nothing.
  const next: FieldManager[] = others.map((entry) => ({
    ...entry,
    fields: difference(difference(entry.fields, changed), removed),
  }));
  const noOp = previous !== undefined && changed.size === 0 && removed.size === 0;
  next.push({
    manager,
    operation: "Apply",
    apiVersion,
    time: noOp && sameFieldSet(previous.fields, appliedFields) ? (previous.time ?? now) : now,
    fields: appliedFields,
    ...(subresource && { subresource }),
  });
  return { object: withManagedFields(merged, next) };
}

/** Stored managers; an object that never had any is owned wholesale by "before-first-apply". */
function currentManagers(live: KubeObject, scope: TrackingScope, now: string): FieldManager[] {
  const managers = readFieldManagers(live.metadata.managedFields);
  if (managers.length > 0) return managers;
  // Every field of the object, as the owner of an untracked object ("before-first-apply") holds it.
  const fields = appliedFieldSet(live, scope);
  if (fields.size === 0) return [];
  return [
    {
      manager: BEFORE_FIRST_APPLY_MANAGER,
      operation: "Update",
      apiVersion: live.apiVersion,
      time: now,
      fields,
    },
  ];
}

function conflictsWith(entry: FieldManager, changed: FieldSet): FieldConflict[] {
  return sortedPaths(intersection(entry.fields, changed)).map((path) => ({
    manager: entry.manager,
    field: formatFieldPath(path),
    operation: entry.operation,
    apiVersion: entry.apiVersion,
    ...(entry.subresource && { subresource: entry.subresource }),
  }));
}

/** kube-apiserver's 409 message for apply conflicts (kubectl prints it after "error: "). */
export function conflictMessage(conflicts: readonly FieldConflict[], apiVersion: string): string {
  const [only] = conflicts;
  if (conflicts.length === 1 && only) {
    return `Apply failed with 1 conflict: conflict with ${describeManager(only, apiVersion)}: ${only.field}`;
  }
  const fieldsByManager = new Map<string, string[]>();
  for (const conflict of conflicts) {
    const manager = describeManager(conflict, apiVersion);
    fieldsByManager.set(manager, [...(fieldsByManager.get(manager) ?? []), conflict.field]);
  }
  const lines = [...fieldsByManager.keys()]
    .sort()
    .flatMap((manager) => [
      `conflicts with ${manager}:`,
      ...(fieldsByManager.get(manager) ?? []).map((f) => `- ${f}`),
    ]);
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
}

/** The Status details.causes of the 409, one per conflicting field. */
export function conflictCauses(
  conflicts: readonly FieldConflict[],
  apiVersion: string,
): { type: "FieldManagerConflict"; message: string; field: string }[] {
  return conflicts.map((conflict) => ({
    type: "FieldManagerConflict",
    message: `conflict with ${describeManager(conflict, apiVersion)}`,
    field: conflict.field,
  }));
}

/** `"kubectl-client-side-apply" using apps/v1`, `"kubectl"`, `"m" with subresource "status" ...`. */
function describeManager(conflict: FieldConflict, apiVersion: string): string {
  let description = JSON.stringify(conflict.manager);
  if (conflict.subresource) description += ` with subresource ${JSON.stringify(conflict.subresource)}`;
  if (conflict.operation !== "Apply") description += ` using ${conflict.apiVersion ?? apiVersion}`;
  return description;
}
