// Masking by structure: a Secret read from the cluster reaches tools with the values of `data` and
// `stringData` (and of its last-applied-configuration copy) replaced, keys kept, so every output
// built from it is still valid YAML or JSON. Whether a value changed between two reads stays
// known through a keyed digest kept beside the object, never in it.
import { createHmac, randomBytes } from "node:crypto";
import type { KubeObject } from "../types.ts";
import { MASK } from "./needle-set.ts";

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
const VALUE_FIELDS = ["data", "stringData"] as const;
/** Per process: the digests cannot be compared with anything computed elsewhere. */
const digestKey = randomBytes(32);
/** The masked value maps, with the digest of each original value by key. */
const digests = new WeakMap<object, Map<string, string>>();

function isSecret(object: { kind?: unknown; apiVersion?: unknown }): boolean {
  return object.kind === "Secret" && object.apiVersion === "v1";
}

/** The Secret with its values masked (the same object when it already is); other objects unchanged. */
export function maskSecretObject<T extends KubeObject>(object: T): T {
  if (!isSecret(object) || alreadyMasked(object)) return object;
  const masked: KubeObject = { ...object };
  for (const field of VALUE_FIELDS) {
    const values = object[field];
    if (values === null || typeof values !== "object" || digests.has(values)) continue;
    const byKey = new Map<string, string>();
    const replaced: Record<string, string> = {};
    for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
      byKey.set(key, createHmac("sha256", digestKey).update(String(value)).digest("base64"));
      replaced[key] = MASK;
    }
    digests.set(replaced, byKey);
    masked[field] = replaced;
  }
  const annotations = object.metadata?.annotations;
  const lastApplied = annotations?.[LAST_APPLIED];
  if (lastApplied !== undefined) {
    masked.metadata = {
      ...object.metadata,
      annotations: { ...annotations, [LAST_APPLIED]: maskedLastApplied(lastApplied) },
    };
  }
  return masked as T;
}

function alreadyMasked(object: KubeObject): boolean {
  const maps = VALUE_FIELDS.map((field) => object[field]).filter((values) => values !== undefined);
  return (
    maps.length > 0 &&
    maps.every((values) => values !== null && typeof values === "object" && digests.has(values))
  );
}

/** The annotation's JSON with the values masked; unreadable JSON is masked whole. */
function maskedLastApplied(text: string): string {
  let applied: unknown;
  try {
    applied = JSON.parse(text);
  } catch {
    return MASK;
  }
  if (applied === null || typeof applied !== "object") return MASK;
  const copy = { ...(applied as Record<string, unknown>) };
  for (const field of VALUE_FIELDS) {
    const values = copy[field];
    if (values !== null && typeof values === "object") {
      copy[field] = Object.fromEntries(Object.keys(values).map((key) => [key, MASK]));
    }
  }
  return JSON.stringify(copy);
}

/**
 * Whether the value of `key` in a masked Secret's `field` differs between two reads; false when
 * either side was not masked here.
 */
export function maskedValueChanged(
  before: KubeObject | undefined,
  after: KubeObject,
  field: "data" | "stringData",
  key: string,
): boolean {
  const old = before?.[field];
  const next = after[field];
  if (old === null || typeof old !== "object" || next === null || typeof next !== "object") return false;
  const oldDigest = digests.get(old)?.get(key);
  const newDigest = digests.get(next)?.get(key);
  return oldDigest !== undefined && newDigest !== undefined && oldDigest !== newDigest;
}
