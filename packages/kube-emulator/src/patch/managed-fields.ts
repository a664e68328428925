// metadata.managedFields: who owns which fields. Decoding and encoding the entries, and recording
// ownership for ordinary writes (create, update, patch), which Kubernetes files as "Update".
import type { KubeObject } from "../types.ts";
import { cloneJson, isJsonObject, jsonEqual, type JsonObject } from "./json-value.ts";
import { difference, EMPTY_FIELD_SET, fromFieldsV1, toFieldsV1, union, type FieldSet } from "./field-set.ts";
import { compareFields, trackingScope } from "./object-fields.ts";

export type ManagedFieldsOperation = "Apply" | "Update";

/** One metadata.managedFields entry, fields in Kubernetes' order. */
interface ManagedFieldsEntry {
  manager: string;
  operation: ManagedFieldsOperation;
  apiVersion: string;
  time?: string;
  fieldsType: "FieldsV1";
  fieldsV1: JsonObject;
  subresource?: string;
}

/** An entry with its fields decoded. One per (manager, operation, subresource). */
export interface FieldManager {
  manager: string;
  operation: ManagedFieldsOperation;
  apiVersion: string;
  time?: string;
  subresource?: string;
  fields: FieldSet;
}

export function isManager(
  entry: FieldManager,
  manager: string,
  operation: ManagedFieldsOperation,
  subresource: string | undefined,
): boolean {
  return entry.manager === manager && entry.operation === operation && entry.subresource === subresource;
}

/** Decodes metadata.managedFields, skipping entries that are not FieldsV1 entries. */
export function readFieldManagers(entries: unknown): FieldManager[] {
  if (!Array.isArray(entries)) return [];
  return entries.filter(isJsonObject).flatMap((entry): FieldManager[] => {
    if (typeof entry.manager !== "string" || !isJsonObject(entry.fieldsV1)) return [];
    const decoded: FieldManager = {
      manager: entry.manager,
      operation: entry.operation === "Apply" ? "Apply" : "Update",
      apiVersion: typeof entry.apiVersion === "string" ? entry.apiVersion : "",
      fields: fromFieldsV1(entry.fieldsV1),
    };
    if (typeof entry.time === "string") decoded.time = entry.time;
    if (typeof entry.subresource === "string" && entry.subresource !== "") {
      decoded.subresource = entry.subresource;
    }
    return [decoded];
  });
}

/** Encodes managers that still own something, sorted as kube-apiserver sorts them. */
function encodeFieldManagers(managers: readonly FieldManager[]): ManagedFieldsEntry[] {
  return managers
    .filter((entry) => entry.fields.size > 0)
    .sort(compareManagers)
    .map((entry) => {
      const encoded: ManagedFieldsEntry = {
        manager: entry.manager,
        operation: entry.operation,
        apiVersion: entry.apiVersion,
        ...(entry.time !== undefined && { time: entry.time }),
        fieldsType: "FieldsV1",
        fieldsV1: toFieldsV1(entry.fields),
      };
      if (entry.subresource !== undefined) encoded.subresource = entry.subresource;
      return encoded;
    });
}

/** Operation, then time to the second, then manager, apiVersion and subresource. */
function compareManagers(left: FieldManager, right: FieldManager): number {
  return (
    compareText(left.operation, right.operation) ||
    secondsOf(left.time) - secondsOf(right.time) ||
    compareText(left.manager, right.manager) ||
    compareText(left.apiVersion, right.apiVersion) ||
    compareText(left.subresource ?? "", right.subresource ?? "")
  );
}

function secondsOf(time: string | undefined): number {
  const millis = time === undefined ? NaN : Date.parse(time);
  return Number.isNaN(millis) ? 0 : Math.floor(millis / 1000);
}

function compareText(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

/** `object` (mutated) with managedFields set from `managers`, or removed when nobody owns anything. */
export function withManagedFields<T extends KubeObject>(object: T, managers: readonly FieldManager[]): T {
  const entries = encodeFieldManagers(managers);
  if (entries.length > 0) object.metadata.managedFields = entries;
  else delete object.metadata.managedFields;
  return object;
}

export interface RecordUpdateArgs {
  before: KubeObject | undefined;
  after: KubeObject;
  manager: string;
  now: string;
  subresource?: "status";
  /** The apiVersion of the request, recorded in the entry. */
  apiVersion: string;
  /** A main-resource write of a kind with a status subresource: `.status` is not this writer's. */
  ignoreStatus?: boolean;
}

/**
 * `after` with managedFields updated for a non-apply write: the fields it added or changed become
 * the manager's (operation "Update") and leave every other manager; removed fields leave everyone.
 */
export function recordUpdate(args: RecordUpdateArgs): KubeObject {
  const { before, after, manager, now, subresource, apiVersion } = args;
  const result = cloneJson(after);
  const sent = after.metadata.managedFields;
  // Kubernetes' documented way to clear managedFields: write a list holding one empty entry.
  if (Array.isArray(sent) && sent.length === 1 && jsonEqual(sent[0], {})) {
    delete result.metadata.managedFields;
    return result;
  }
  // A writer may replace managedFields; an empty or unchanged list means "keep what is stored".
  const previous = before?.metadata.managedFields;
  const replaced = Array.isArray(sent) && sent.length > 0 && !jsonEqual(sent, previous);
  const managers = readFieldManagers(replaced ? sent : previous);

  const scope = trackingScope(after.apiVersion, subresource, args.ignoreStatus ?? false);
  const { changed, removed } = compareFields(before ?? {}, after, scope);
  const own = managers.find((entry) => isManager(entry, manager, "Update", subresource));
  const next = managers
    .filter((entry) => entry !== own)
    .map((entry) => ({ ...entry, fields: difference(difference(entry.fields, changed), removed) }));
  if (changed.size > 0) {
    const fields = difference(union(own?.fields ?? EMPTY_FIELD_SET, changed), removed);
    next.push({
      manager,
      operation: "Update",
      apiVersion,
      time: now,
      fields,
      ...(subresource && { subresource }),
    });
  } else if (own) {
    // A write that changed nothing of this manager's keeps its entry as it was, time included.
    next.push({ ...own, fields: difference(own.fields, removed) });
  }
  return withManagedFields(result, next);
}
