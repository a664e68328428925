// The schemas of the Flux CRDs a cluster serves, as documents, cached per context. Only the Flux
// CRDs are fetched (found through discovery, then read one by one), never every CRD of the cluster.
import { isFluxGroup } from "../flux/kinds.ts";
import { KubeError, type Kube, type KubeObject } from "../kube/types.ts";
import { crdDocs } from "./crd-docs.ts";
import type { Doc } from "./markdown.ts";

export const DEFAULT_SCHEMA_TTL_MS = 10 * 60 * 1000;

export interface SchemaCache {
  /** The documents of the cluster's Flux CRDs; a KubeError when the cluster cannot say. */
  docs(kube: Kube): Promise<Doc[]>;
}

export function createSchemaCache(ttlMs = DEFAULT_SCHEMA_TTL_MS): SchemaCache {
  const entries = new Map<string, { docs: Promise<Doc[]>; expires: number }>();
  return {
    docs(kube) {
      // The identity matters: impersonated users may not read what others can.
      const key = `${kube.context}\u0000${kube.identity}`;
      const cached = entries.get(key);
      if (cached && cached.expires > Date.now()) return cached.docs;
      const docs = fetchSchemaDocs(kube);
      entries.set(key, { docs, expires: Date.now() + ttlMs });
      // A failure is not remembered: the next call asks the cluster again.
      docs.catch(() => {
        if (entries.get(key)?.docs === docs) entries.delete(key);
      });
      return docs;
    },
  };
}

async function fetchSchemaDocs(kube: Kube): Promise<Doc[]> {
  const crdKind = await kube.resolveKind("CustomResourceDefinition", "apiextensions.k8s.io");
  const names = new Set(
    (await kube.kinds())
      .filter((kind) => isFluxGroup(kind.group))
      .map((kind) => `${kind.plural}.${kind.group}`),
  );
  const crds = await Promise.all(
    [...names].map((name) =>
      kube.get(crdKind, name).catch((error: unknown) => {
        // A Flux group served by something other than a CRD has no schema to show.
        if (error instanceof KubeError && error.reason === "NotFound") return undefined;
        throw error;
      }),
    ),
  );
  const found = crds.filter((crd): crd is KubeObject => crd !== undefined);
  const kindCounts = new Map<string, number>();
  for (const crd of found) {
    const kind = kindOf(crd);
    kindCounts.set(kind, (kindCounts.get(kind) ?? 0) + 1);
  }
  return found.flatMap((crd) => crdDocs(crd, (kindCounts.get(kindOf(crd)) ?? 0) > 1));
}

function kindOf(crd: KubeObject): string {
  return (crd.spec as { names?: { kind?: string } } | undefined)?.names?.kind ?? "";
}
