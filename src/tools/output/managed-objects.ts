// What a Flux object manages, compact: from its `status.inventory`, or for a HelmRelease without one,
// from the manifest in Helm's storage Secret. Only object references ever leave here: the release
// holds rendered Secrets and values, which must not reach the model.
import { Buffer } from "node:buffer";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../../kube/types.ts";
import type { ObjectRef } from "./events.ts";

/** Helm rejects bigger releases too; it keeps a corrupt or hostile Secret from exhausting memory. */
const MAX_RELEASE_BYTES = 32 * 1024 * 1024;

/** The objects of `status.inventory.entries`, or undefined when the object has no inventory. */
export function inventoryObjects(object: KubeObject): ObjectRef[] | undefined {
  const status = object.status as { inventory?: { entries?: unknown } } | undefined;
  const entries = status?.inventory?.entries;
  if (!Array.isArray(entries)) return undefined;
  return entries.flatMap((entry: { id?: unknown; v?: unknown }) => {
    const ref = typeof entry?.id === "string" ? parseInventoryId(entry.id) : undefined;
    if (!ref) return [];
    const version = typeof entry.v === "string" ? entry.v : "";
    return [{ ...ref, apiVersion: ref.apiVersion ? `${ref.apiVersion}/${version}` : version }];
  });
}

/**
 * `<namespace>_<name>_<group>_<kind>`, as Flux writes inventory ids (an RBAC name's `:` written as
 * `__`). The apiVersion of the answer holds the group only; the entry's `v` completes it.
 */
export function parseInventoryId(id: string): ObjectRef | undefined {
  const first = id.indexOf("_");
  const last = id.lastIndexOf("_");
  if (first < 0 || last <= first) return undefined;
  const middle = id.slice(first + 1, last);
  const groupStart = middle.lastIndexOf("_");
  if (groupStart < 0) return undefined;
  const name = middle.slice(0, groupStart).replaceAll("__", ":");
  const namespace = id.slice(0, first);
  if (name === "" || name.includes("_")) return undefined;
  return {
    apiVersion: middle.slice(groupStart + 1),
    kind: id.slice(last + 1),
    ...(namespace && { namespace }),
    name,
  };
}

export interface HelmRelease {
  namespace: string;
  manifest: string;
}

/**
 * The release in a Helm storage Secret (`sh.helm.release.v1.<release>.v<version>`): `data.release`
 * is base64 (Kubernetes) of base64 (Helm) of gzipped JSON.
 */
export function decodeHelmRelease(secret: KubeObject): HelmRelease {
  const data = secret.data as Record<string, unknown> | undefined;
  const encoded = data?.release;
  if (typeof encoded !== "string" || encoded === "") throw new Error("it has no data.release");
  const helmEncoded = Buffer.from(encoded, "base64").toString("latin1");
  const bytes = Buffer.from(helmEncoded, "base64");
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  // zlib loads on the first Helm release read, not with the server.
  const zlib = process.getBuiltinModule("node:zlib");
  const json = gzipped ? zlib.gunzipSync(bytes, { maxOutputLength: MAX_RELEASE_BYTES }) : bytes;
  const release = JSON.parse(json.toString("utf8")) as { namespace?: unknown; manifest?: unknown };
  if (typeof release.manifest !== "string") throw new Error("its release has no manifest");
  return {
    namespace: typeof release.namespace === "string" ? release.namespace : "",
    manifest: release.manifest,
  };
}

/** Every object a rendered manifest declares, namespace as written (often omitted). */
export function manifestObjects(manifest: string): ObjectRef[] {
  return parseAllDocuments(manifest).flatMap((document) => {
    const object = document.errors.length === 0 ? (document.toJS() as Partial<KubeObject> | null) : null;
    const name = object?.metadata?.name;
    if (typeof object?.apiVersion !== "string" || typeof object.kind !== "string" || !name) return [];
    const namespace = object.metadata?.namespace;
    return [{ apiVersion: object.apiVersion, kind: object.kind, ...(namespace && { namespace }), name }];
  });
}

/**
 * Grouped by "apiVersion Kind", each with its `namespace/name`s (or names when cluster-scoped): the
 * type is written once per group rather than once per object.
 */
export function groupManagedObjects(refs: readonly ObjectRef[]): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const ref of refs) {
    const key = `${ref.apiVersion ?? ""} ${ref.kind}`.trim();
    (groups[key] ??= []).push(ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name);
  }
  return groups;
}
