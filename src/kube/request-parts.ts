// Parts of a request made from user input. Names and namespaces become path segments: each is
// checked and URL-encoded here, before a request is built, so a malformed one gets a clear error
// and nothing in it (`?`, `/..`, a lone surrogate) can change which path the API server is asked
// for. Values in field selectors are escaped so they cannot add terms to the selector.
import { quoted } from "./errors.ts";
import { KubeError } from "./types.ts";

/** The longest object name Kubernetes accepts (a DNS-1123 subdomain). */
const MAX_NAME_LENGTH = 253;

/** `value` encoded as one path segment; a KubeError (BadRequest) naming `what` when it cannot be one. */
export function pathSegment(value: string, what: string): string {
  const problem = segmentProblem(value);
  if (problem) throw new KubeError("BadRequest", `invalid ${what} ${quoted(value)}: ${problem}`);
  return encodeURIComponent(value);
}

/** Why `value` cannot name an object, or undefined. Kubernetes' own rule for path segments, plus ours. */
function segmentProblem(value: string): string | undefined {
  if (value === "") return "it is empty";
  if (value.length > MAX_NAME_LENGTH) return `names are at most ${MAX_NAME_LENGTH} characters`;
  if (value === "." || value === "..") return "not a name";
  if (/[/%]/.test(value)) return "names cannot contain / or %";
  if (/[\s\p{Cc}]/u.test(value)) return "names cannot contain spaces, line breaks or control characters";
  // In a `u` regular expression a well-formed pair is one code point: only lone surrogates match.
  if (/\p{Cs}/u.test(value)) return "it contains a lone UTF-16 surrogate (not valid text)";
  return undefined;
}

/**
 * A name for `field=value` in a fieldSelector: checked like a path segment, then escaped as
 * Kubernetes reads it (`\\`, `,`, `=`).
 */
export function fieldSelectorValue(value: string, what = "name"): string {
  const problem = segmentProblem(value);
  if (problem) throw new KubeError("BadRequest", `invalid ${what} ${quoted(value)}: ${problem}`);
  return value.replace(/[\\,=]/g, (character) => `\\${character}`);
}
