// What of a Secret the free-text scan looks for: each value that can be told apart from ordinary
// text, the leaf values of values that are YAML or JSON documents (a `values.yaml`, a
// `.dockerconfigjson`), each line of a multi-line value, and every encoding an output can give
// them (JSON-escaped, YAML-quoted, URL-encoded, base64 at any offset). Public parts are left out.
import { parse } from "yaml";
import type { KubeObject } from "../types.ts";

/** A string the scan replaces, and the Secret value it comes from (a value that is a name is kept). */
export interface Needle {
  text: string;
  origin: string;
}

/**
 * Shorter values ("admin", "true", a port) would mask ordinary words of every answer. Measured on
 * the corpus in test/data/secret-corpus: every canary is longer, and no name or public value is hit.
 */
export const MIN_VALUE_LENGTH = 8;
/** A value is scanned for only up to this size: bigger blobs are never copied into other objects whole. */
const MAX_VALUE_LENGTH = 64 * 1024;
/** Leaves of a structured value deeper than this are not looked at (a values.yaml is shallow). */
const MAX_DEPTH = 12;

/** Keys whose values are public in every Secret type: certificates, host keys, user names. */
const PUBLIC_KEYS = new Set([
  "ca.crt",
  "ca.pem",
  "tls.crt",
  "known_hosts",
  "identity.pub",
  "ssh-publickey",
  "username",
  "user",
  "email",
]);
/** Keys public only in one type: a service-account token Secret's namespace names the namespace. */
const PUBLIC_KEYS_OF_TYPE: Record<string, ReadonlySet<string>> = {
  "kubernetes.io/service-account-token": new Set(["namespace"]),
};
/** Helm release storage: its blob never appears in any other output (see README, Security). */
export const HELM_RELEASE_TYPE = "helm.sh/release.v1";

/** Every needle of a Secret, from its `data` (base64) and `stringData`. */
export function secretNeedles(secret: KubeObject): Needle[] {
  const type = typeof secret.type === "string" ? secret.type : "Opaque";
  if (type === HELM_RELEASE_TYPE) return [];
  const typePublic = PUBLIC_KEYS_OF_TYPE[type];
  const needles: Needle[] = [];
  for (const field of ["data", "stringData"] as const) {
    const values = secret[field];
    if (values === null || typeof values !== "object") continue;
    for (const [key, stored] of Object.entries(values as Record<string, unknown>)) {
      if (typeof stored !== "string" || PUBLIC_KEYS.has(key) || typePublic?.has(key)) continue;
      const bytes = field === "data" ? Buffer.from(stored, "base64") : Buffer.from(stored, "utf8");
      if (bytes.length > MAX_VALUE_LENGTH) continue;
      needles.push(...valueNeedles(bytes));
    }
  }
  return needles;
}

/** The needles of one value, given as its bytes. */
export function valueNeedles(bytes: Buffer): Needle[] {
  const text = bytes.toString("utf8");
  // Binary data (decodes to replacement characters) can show up in text only as base64.
  if (text.includes("\uFFFD")) return bytes.length >= MIN_VALUE_LENGTH ? base64Needles(bytes, text) : [];
  const needles: Needle[] = [];
  const seen = new Set<string>();
  const add = (value: string) => {
    const trimmed = value.trim();
    if (seen.has(trimmed) || !looksSecret(trimmed)) return;
    seen.add(trimmed);
    needles.push(...encodings(trimmed));
  };
  add(text);
  const leaves = structuredLeaves(text);
  // A YAML or JSON value is masked by its leaves; its lines are structure ("enabled: true") that
  // other YAML shares. Lines stand for the value only where it has no structure (a key, a token).
  if (leaves.length === 0 && text.trim().includes("\n")) {
    for (const line of text.split("\n")) if (!isBoilerplateLine(line)) add(line);
  }
  for (const leaf of leaves) add(leaf);
  return needles;
}

/**
 * Whether a value could be a secret rather than ordinary text: long enough; not a Kubernetes-style
 * name made of lowercase words and numbers ("password", "flux-system", "kustomize-controller",
 * "podinfo-pr-142": the names of objects and namespaces, which every answer is full of); not a
 * URL without credentials (a Git or registry address is the same as in the sources that use
 * it); not a certificate. Generated credentials mix letters, digits and case within a word.
 */
function looksSecret(value: string): boolean {
  if (value.length < MIN_VALUE_LENGTH) return false;
  if (/^([a-z]+|[0-9]+)([-.]([a-z]+|[0-9]+))*$/.test(value)) return false;
  if (/^(https?|ssh|git|oci):\/\/[^@\s?#]+$/.test(value)) return false;
  if (value.startsWith("-----BEGIN CERTIFICATE-----")) return false;
  return true;
}

/** PEM armour lines are the same in every key. */
function isBoilerplateLine(line: string): boolean {
  return /^\s*-----(BEGIN|END) [A-Z ]+-----\s*$/.test(line);
}

/** The value as it can appear in an output: raw, escaped, quoted, URL-encoded, base64 at any offset. */
function encodings(value: string): Needle[] {
  const forms = new Set([value]);
  forms.add(JSON.stringify(value).slice(1, -1));
  forms.add(value.replaceAll("'", "''"));
  forms.add(encodeURIComponent(value));
  const needles = [...forms].map((text) => ({ text, origin: value }));
  return [...needles, ...base64Needles(Buffer.from(value, "utf8"), value)];
}

/**
 * The base64 characters that depend only on the value's bytes, for each of the three offsets the
 * value can have inside a longer base64 text (standard and URL-safe alphabets).
 */
function base64Needles(bytes: Buffer, origin: string): Needle[] {
  const needles: Needle[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    const text = encoded.slice(start, end);
    if (text.length < MIN_VALUE_LENGTH) continue;
    needles.push({ text, origin });
    const urlSafe = text.replaceAll("+", "-").replaceAll("/", "_");
    if (urlSafe !== text) needles.push({ text: urlSafe, origin });
  }
  return needles;
}

/** The string leaves of a value that is a JSON or YAML document (keys and public leaves left out). */
function structuredLeaves(text: string): string[] {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed) && !/^[\w.-]+:\s/m.test(trimmed)) return [];
  let document: unknown;
  try {
    document = parse(trimmed, { maxAliasCount: 10 });
  } catch {
    return [];
  }
  if (document === null || typeof document !== "object") return [];
  const leaves: string[] = [];
  const walk = (node: unknown, key: string | undefined, depth: number) => {
    if (depth > MAX_DEPTH) return;
    if (typeof node === "string") {
      if (key === undefined || !PUBLIC_KEYS.has(key)) leaves.push(node);
      if (key === "auth") leaves.push(...decodedAuth(node));
    } else if (typeof node === "number" && key !== undefined && !PUBLIC_KEYS.has(key)) {
      leaves.push(String(node));
    } else if (Array.isArray(node)) {
      for (const item of node) walk(item, key, depth + 1);
    } else if (node !== null && typeof node === "object") {
      for (const [name, value] of Object.entries(node)) walk(value, name, depth + 1);
    }
  };
  walk(document, undefined, 0);
  return leaves;
}

/** A docker config `auth` is base64 of `user:password`: the password is a value of its own. */
function decodedAuth(auth: string): string[] {
  const decoded = Buffer.from(auth, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 || decoded.includes("\uFFFD") ? [] : [decoded.slice(colon + 1)];
}
