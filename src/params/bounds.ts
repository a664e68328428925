// Every string a tool accepts has a length bound, taken from Kubernetes' own limits where there is
// one, so an oversized argument is refused by schema validation before any work is done (a
// million-character kind once held every session while suggestions were computed for it).
import { z } from "zod";
import { durationSeconds } from "./duration.ts";

/** Object names: a DNS-1123 subdomain. */
export const MAX_NAME = 253;
/** Namespaces and container names: a DNS-1123 label. */
export const MAX_LABEL = 63;
/** An API group (a DNS subdomain), a slash and a version (a DNS label). */
const MAX_API_VERSION = MAX_NAME + 1 + MAX_LABEL;
/** A kind as kubectl takes it, up to `plural.version.group`. */
export const MAX_KIND = MAX_LABEL + 1 + MAX_LABEL + 1 + MAX_NAME;
/** Label and field selectors: Kubernetes sets no limit; real ones are a few dozen characters. */
const MAX_SELECTOR = 4096;
/** Kubeconfig context names have no limit in Kubernetes either. */
const MAX_CONTEXT = 1024;
/** Durations such as "1h30m". */
const MAX_DURATION = 32;
/** Continue tokens of list pages: opaque, a few hundred characters from kube-apiserver. */
export const MAX_CONTINUE_TOKEN = 8192;
/** JSONPath expressions of `fields`, and how many of them. */
export const MAX_FIELD_EXPRESSION = 512;
export const MAX_FIELDS = 32;
/** URLs: what browsers and most servers accept. */
export const MAX_URL = 2048;
/**
 * Manifests and patches: etcd keeps objects up to 1.5 MiB; 2 MiB of YAML, JSON-escaped, still fits
 * in one MCP message (4 MiB).
 */
const MAX_MANIFEST = 2 * 1024 * 1024;

export function nameArgument() {
  return z.string().min(1).max(MAX_NAME);
}

export function namespaceArgument() {
  return z.string().min(1).max(MAX_LABEL);
}

export function kindArgument() {
  return z.string().min(1).max(MAX_KIND);
}

export function apiVersionArgument() {
  return z.string().max(MAX_API_VERSION);
}

export function selectorArgument() {
  return z.string().max(MAX_SELECTOR);
}

export function containerArgument() {
  return z.string().min(1).max(MAX_LABEL);
}

export function contextArgument() {
  return z.string().min(1).max(MAX_CONTEXT);
}

export function manifestArgument() {
  return z.string().min(1).max(MAX_MANIFEST);
}

/** A tool argument holding a positive duration such as "30s", "5m" or "1h30m"; describe it where used. */
export function durationArgument() {
  return z
    .string()
    .max(MAX_DURATION)
    .refine((text) => durationSeconds(text) !== undefined, {
      message: 'expected a positive duration such as "30s", "5m", "1h30m" or "2d"',
    });
}
