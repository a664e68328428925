// What form of an object or list the client asked for in its Accept header: the object itself,
// a server-side printed Table, or only metadata.
import type { Cluster } from "./cluster.ts";
import type { ResourceType } from "./resources/resource-type.ts";
import { toTable } from "./tables.ts";
import type { KubeObject } from "./types.ts";

export type OutputForm = "object" | "table" | "metadata";

export function outputFormOf(accept: string | undefined): OutputForm {
  // The client's first acceptable choice wins; Table and metadata-only answers come first when asked.
  for (const choice of (accept ?? "").split(",")) {
    if (/;\s*as=Table\b/.test(choice)) return "table";
    if (/;\s*as=PartialObjectMetadata(List)?\b/.test(choice)) return "metadata";
    if (/application\/json|\*\/\*|application\/yaml/.test(choice)) return "object";
  }
  return "object";
}

export interface ListMetadata {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface Rendering {
  cluster: Cluster;
  type: ResourceType;
  version: string;
  form: OutputForm;
  includeObject: string | null;
  now: Date;
}

export function renderObject(rendering: Rendering, stored: KubeObject): KubeObject {
  const object = rendering.cluster.present(rendering.type, rendering.version, stored);
  if (rendering.form === "table")
    return tableOf(rendering, [object], { resourceVersion: object.metadata.resourceVersion ?? "" });
  if (rendering.form === "metadata") return partialMetadata(object);
  return object;
}

export function renderList(
  rendering: Rendering,
  stored: KubeObject[],
  listMetadata: ListMetadata,
): KubeObject {
  const { cluster, type, version } = rendering;
  const objects = stored.map((object) => cluster.present(type, version, object));
  if (rendering.form === "table") return tableOf(rendering, objects, listMetadata);
  const metadata = {
    resourceVersion: listMetadata.resourceVersion,
    ...(listMetadata.continue && { continue: listMetadata.continue }),
    ...(listMetadata.remainingItemCount !== undefined && {
      remainingItemCount: listMetadata.remainingItemCount,
    }),
  };
  if (rendering.form === "metadata") {
    return {
      apiVersion: "meta.k8s.io/v1",
      kind: "PartialObjectMetadataList",
      metadata,
      items: objects.map(partialMetadata),
    };
  }
  return {
    apiVersion: objects[0]?.apiVersion ?? presentedApiVersion(rendering),
    kind: type.listKind,
    metadata,
    items: objects,
  };
}

function presentedApiVersion(rendering: Rendering): string {
  return rendering.type.group === "" ? rendering.version : `${rendering.type.group}/${rendering.version}`;
}

function tableOf(rendering: Rendering, objects: KubeObject[], listMetadata: ListMetadata): KubeObject {
  const includeObject = rendering.includeObject;
  return toTable(rendering.type, rendering.version, objects, {
    now: rendering.now,
    listMetadata,
    ...((includeObject === "None" || includeObject === "Metadata" || includeObject === "Object") && {
      includeObject,
    }),
  });
}

function partialMetadata(object: KubeObject): KubeObject {
  return { apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadata", metadata: object.metadata };
}
