// The Secret values of a cluster, for the last-pass scrubbing of every output: each value of each
// Secret's `data` as stored (base64) and decoded, when long enough to be unambiguous. Fetched once
// for all the calls of a few seconds; an identity that may not list Secrets has none to leak.
import { abortable } from "./abortable.ts";
import { KubeError, type KubeObject } from "./types.ts";

/** Shorter values ("true", "admin", a port) would scrub ordinary words out of every output. */
export const MIN_SECRET_VALUE_LENGTH = 8;
/** Bigger blobs (Helm release storage) never show up verbatim anywhere else. */
const MAX_SECRET_VALUE_LENGTH = 64 * 1024;
const CACHE_MS = 10_000;
const LOAD_TIMEOUT_MS = 60_000;

export type ListSecrets = (signal: AbortSignal) => Promise<KubeObject[]>;

export function createSecretValues(
  listSecrets: ListSecrets,
): (signal?: AbortSignal) => Promise<ReadonlySet<string>> {
  let cached: { values: Promise<ReadonlySet<string>>; expires: number } | undefined;
  return (signal) => {
    if (!cached || cached.expires < Date.now()) {
      const values = load(listSecrets);
      const entry = { values, expires: Number.POSITIVE_INFINITY };
      cached = entry;
      values.then(
        () => (entry.expires = Date.now() + CACHE_MS),
        () => {
          if (cached === entry) cached = undefined;
        },
      );
    }
    return abortable(cached.values, signal);
  };
}

async function load(listSecrets: ListSecrets): Promise<ReadonlySet<string>> {
  try {
    return secretValuesOf(await listSecrets(AbortSignal.timeout(LOAD_TIMEOUT_MS)));
  } catch (error) {
    if (error instanceof KubeError && (error.reason === "Forbidden" || error.reason === "Unauthorized")) {
      return new Set();
    }
    throw error;
  }
}

export function secretValuesOf(secrets: readonly KubeObject[]): Set<string> {
  const values = new Set<string>();
  const add = (value: string) => {
    if (value.length >= MIN_SECRET_VALUE_LENGTH && value.length <= MAX_SECRET_VALUE_LENGTH) values.add(value);
  };
  for (const secret of secrets) {
    const data = secret.data;
    if (data === null || typeof data !== "object") continue;
    for (const stored of Object.values(data)) {
      if (typeof stored !== "string") continue;
      add(stored);
      const decoded = Buffer.from(stored, "base64").toString("utf8");
      // Binary data decodes to replacement characters: no text output can contain it.
      if (decoded.includes("\uFFFD")) continue;
      add(decoded);
      // `echo secret | base64` stores a trailing newline that the value is mostly used without.
      add(decoded.trim());
    }
  }
  return values;
}
