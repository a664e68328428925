// The last pass over everything a call lets out: Secret values of every cluster the call touched
// are replaced wherever they appear (logs, events, ConfigMaps, Helm values, error messages, the
// call log's copy of the arguments).
import { redactSecretValues } from "../kube/redaction.ts";
import type { Kube } from "../kube/types.ts";

/** The Secret values of a context, read independently of the call (whose signal may have fired). */
export type SecretValuesOf = (context: string) => Promise<ReadonlySet<string>>;

export interface SecretScrubber {
  /** Records that the call reads through this Kube, so its cluster's Secret values are scrubbed. */
  track(kube: Kube): Kube;
  /** Whether the call obtained any Kube so far. */
  readonly tracksAny: boolean;
  scrub(text: string): Promise<string>;
  /** Scrubs every string inside a JSON value (where escaping would hide a value from `scrub`). */
  scrubJson(value: unknown): Promise<unknown>;
}

export function createSecretScrubber(secretValuesOf: SecretValuesOf): SecretScrubber {
  // Loading starts as soon as the call touches a cluster, alongside the tool's own requests.
  const loading = new Map<string, Promise<ReadonlySet<string>>>();
  const secretSets = () => Promise.all(loading.values());
  const redact = (text: string, sets: ReadonlySet<string>[]) =>
    sets.reduce((scrubbed, values) => redactSecretValues(scrubbed, values), text);
  return {
    track(kube) {
      if (!loading.has(kube.context)) {
        const values = secretValuesOf(kube.context);
        values.catch(() => {}); // reported by scrub(), if it comes to that
        loading.set(kube.context, values);
      }
      return kube;
    },
    get tracksAny() {
      return loading.size > 0;
    },
    async scrub(text) {
      return redact(text, await secretSets());
    },
    async scrubJson(value) {
      const sets = await secretSets();
      const walk = (node: unknown): unknown => {
        if (typeof node === "string") return redact(node, sets);
        if (Array.isArray(node)) return node.map(walk);
        if (node !== null && typeof node === "object") {
          return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item)]));
        }
        return node;
      };
      return walk(value);
    },
  };
}
