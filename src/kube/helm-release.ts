// The objects of a Helm release, read from Helm's storage Secret: only their references leave this
// file. The release also holds rendered Secrets and values, which must not reach a tool.
import { Buffer } from "node:buffer";
import { parseAllDocuments } from "yaml";
import type { HelmReleaseObjects, KubeObject, ManifestObject } from "./types.ts";

/** Helm rejects bigger releases too; it keeps a corrupt or hostile Secret from exhausting memory. */
const MAX_RELEASE_BYTES = 32 * 1024 * 1024;

interface HelmRelease {
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
export function manifestObjects(manifest: string): ManifestObject[] {
  return parseAllDocuments(manifest).flatMap((document) => {
    const object = document.errors.length === 0 ? (document.toJS() as Partial<KubeObject> | null) : null;
    const name = object?.metadata?.name;
    if (typeof object?.apiVersion !== "string" || typeof object.kind !== "string" || !name) return [];
    const namespace = object.metadata?.namespace;
    return [{ apiVersion: object.apiVersion, kind: object.kind, ...(namespace && { namespace }), name }];
  });
}

/** The objects of the release in a Helm storage Secret read with its data. */
export function helmReleaseObjects(secret: KubeObject): HelmReleaseObjects {
  const release = decodeHelmRelease(secret);
  return { namespace: release.namespace, objects: manifestObjects(release.manifest) };
}
