// get_kubernetes_resources: any object of any kind, as compact YAML; Flux objects come with their
// recent events and what they manage, and `fields` projects objects down to a few values.
import { z } from "zod";
import {
  KubeError,
  type Kube,
  type KubeObject,
  type ListResult,
  type ResolvedKind,
} from "../../kube/types.ts";
import { fluxExtras, objectKey, withExtras } from "../output/flux-extras.ts";
import { moreLine, yamlDocuments } from "../output/objects.ts";
import { viewObject } from "../output/object-view.ts";
import { invalidFieldExpression, projectRows } from "../output/projection.ts";
import { defineTool, toolError, type ToolResult } from "../tool.ts";

export const DEFAULT_RESOURCE_LIMIT = 100;

export const getKubernetesResources = defineTool({
  name: "get_kubernetes_resources",
  title: "Get Kubernetes resources",
  area: "reporting",
  description: [
    "Gets Kubernetes objects of any kind (built-in or CRD) as YAML without managedFields; Secret values are masked.",
    "Give name to get one object, omit it to list.",
    "Flux objects also carry their latest events (newest last) and the objects they manage (from the inventory, or from Helm's storage for a HelmRelease).",
    "Use fields to fetch only the values you need: far smaller answers.",
    "Lists are paged: the answer ends with how many more there are and the continue token.",
    "For an overview of Flux start with get_flux_instance; for an event timeline use get_kubernetes_events.",
  ].join(" "),
  input: {
    apiVersion: z
      .string()
      .optional()
      .describe(
        "apiVersion, e.g. helm.toolkit.fluxcd.io/v2, apps/v1, v1; omit to use the cluster's preferred version of the kind (see get_kubernetes_api_versions)",
      ),
    kind: z
      .string()
      .min(1)
      .describe("Kind, singular as in YAML, e.g. Kustomization, HelmRelease, Deployment, Pod"),
    name: z.string().optional().describe("Name of the object; omit to list"),
    namespace: z.string().optional().describe("Namespace; omit for all namespaces"),
    selector: z
      .string()
      .optional()
      .describe("Label selector, comma-separated, e.g. app.kubernetes.io/name=podinfo,tier!=cache"),
    fields: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'kubectl JSONPath expressions, one each (braces and leading dot optional), e.g. .status.conditions[?(@.type=="Ready")].message: the answer becomes a table, one row per object with its namespace, name and the value of each expression (null when it selects nothing)',
      ),
    limit: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(DEFAULT_RESOURCE_LIMIT)
      .describe("Maximum objects per answer"),
    continue: z
      .string()
      .optional()
      .describe("The continue token a previous truncated answer gave, for the next page"),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  writes: false,
  usesCluster: true,
  async handler(args, ctx) {
    const fields = args.fields ?? [];
    const invalid = invalidFieldExpression(fields);
    if (invalid) return toolError(invalid);
    const kube = await ctx.kube();
    const kind = await kube.resolveKind(args.kind, args.apiVersion);
    const namespace = kind.namespaced ? args.namespace : undefined;
    const request = { kube, kind, namespace, name: args.name, selector: args.selector };

    let found: Found;
    if (args.name && !args.selector && (namespace || !kind.namespaced)) {
      found = await getOne(request, args.name);
    } else {
      found = await listPage(request, args.limit, args.continue);
    }
    if ("answer" in found) return found.answer;

    const objects = found.items.map((item) =>
      // List items may come without apiVersion and kind; they go first, where YAML readers expect them.
      viewObject(Object.assign({ apiVersion: kind.apiVersion, kind: kind.kind }, item), {
        maskSecrets: ctx.maskSecrets,
      }),
    );
    const more = found.page
      ? moreLine(objects.length, found.page.remainingItemCount, found.page.continue)
      : "";
    if (fields.length > 0) return answer([], projectRows(kind, objects, fields), more);
    const { extras, notes } = await fluxExtras(kube, kind, objects, Date.now());
    return answer(
      notes,
      yamlDocuments(objects.map((object) => withExtras(object, extras.get(objectKey(object))))),
      more,
    );
  },
});

interface Request {
  kube: Kube;
  kind: ResolvedKind;
  namespace: string | undefined;
  name: string | undefined;
  selector: string | undefined;
}

type Found = { items: KubeObject[]; page?: ListResult } | { answer: ToolResult };

async function getOne({ kube, kind, namespace }: Request, name: string): Promise<Found> {
  try {
    return { items: [await kube.get(kind, name, namespace)] };
  } catch (error) {
    if (error instanceof KubeError && error.reason === "NotFound") {
      const where = namespace ? `${namespace}/${name}` : name;
      return { answer: toolError(`${kind.kind} ${where} not found in context ${kube.context}`) };
    }
    throw error;
  }
}

async function listPage(request: Request, limit: number, continueToken?: string): Promise<Found> {
  const { kube, kind, namespace, name, selector } = request;
  const page = await kube.list(kind, {
    ...(namespace && { namespace }),
    ...(selector && { labelSelector: selector }),
    ...(name && { fieldSelector: `metadata.name=${name}` }),
    limit,
    ...(continueToken && { continue: continueToken }),
  });
  if (page.items.length > 0) return { items: page.items, page };
  if (name) {
    const where = namespace ? `${namespace}/${name}` : kind.namespaced ? `${name} in any namespace` : name;
    const matching = selector ? ` matching selector ${selector}` : "";
    return { answer: toolError(`${kind.kind} ${where}${matching} not found in context ${kube.context}`) };
  }
  return { answer: { text: emptyAnswer(request) } };
}

/** "No HelmRelease objects found in namespace apps of context staging" — not an error. */
function emptyAnswer({ kube, kind, namespace, selector }: Request): string {
  const matching = selector ? ` matching selector ${selector}` : "";
  const where = namespace ? `in namespace ${namespace} of` : kind.namespaced ? "in any namespace of" : "in";
  return `No ${kind.kind} objects${matching} found ${where} context ${kube.context}`;
}

function answer(notes: string[], body: string, more: string): ToolResult {
  const head = notes.map((note) => `# ${note}\n`).join("");
  return { text: head + body + (more ? `${more}\n` : "") };
}
