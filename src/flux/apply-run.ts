// Server-side apply of a planned manifest in two stages (CRDs and Namespaces, then the rest, once
// the new CRDs are served), reporting per object whether it was created, configured or unchanged.
// A failure stops the apply and the report says what was applied before it and what was not.
import { isDeepStrictEqual } from "node:util";
import { findCondition } from "./reconcile.ts";
import { KubeError, type Kube, type KubeObject } from "../kube/types.ts";
import { LAST_APPLIED_ANNOTATION } from "../format/objects.ts";
import type { PlannedObject } from "./apply-plan.ts";
import { APPLY_FIELD_MANAGER } from "../kube/field-managers.ts";
import { where } from "../format/names.ts";

const CRD_POLL_MS = 100;
const CRD_WAIT_MS = 30_000;

export interface ApplyReport {
  /** One line per object handled: "Deployment/frontend/podinfo configured". */
  lines: string[];
  /** Set when the apply stopped: the failure, then the objects left unapplied. */
  failure?: string;
}

export async function applyPlanned(
  ctx: { signal: AbortSignal },
  kube: Kube,
  planned: PlannedObject[],
  options: { dryRun: boolean },
): Promise<ApplyReport> {
  const lines: string[] = [];
  const early = planned.filter((entry) => entry.early);
  const rest = planned.filter((entry) => !entry.early);
  const pending = [...early, ...rest];
  const applyStage = async (stage: PlannedObject[]): Promise<string | undefined> => {
    for (const entry of stage) {
      try {
        lines.push(`${entry.path} ${await applyOne(kube, entry, options.dryRun)}`);
        pending.shift();
      } catch (error) {
        if (!(error instanceof KubeError)) throw error;
        pending.shift();
        return error.message;
      }
    }
    return undefined;
  };
  const failure =
    (await applyStage(early)) ??
    (options.dryRun ? undefined : await awaitNewKinds(ctx, kube, early, rest)) ??
    (await applyStage(rest));
  if (!failure) return { lines };
  const notApplied =
    pending.length > 0 ? `; not applied: ${pending.map((entry) => entry.path).join(", ")}` : "";
  return { lines, failure: `${failure}${notApplied}` };
}

async function applyOne(kube: Kube, entry: PlannedObject, dryRun: boolean): Promise<string> {
  if (dryRun && !entry.resolved) {
    return "created (dry run; not validated, its CustomResourceDefinition is new in this manifest)";
  }
  if (dryRun && entry.inNewNamespace) {
    return "created (dry run; not validated, its namespace is new in this manifest)";
  }
  if (!entry.resolved) throw new Error(`${entry.path}: kind still unresolved after its CRD was applied`);
  const after = await kube.apply(entry.resolved, entry.object, {
    fieldManager: APPLY_FIELD_MANAGER,
    force: true,
    ...(dryRun && { dryRun: true }),
  });
  const action = !entry.live ? "created" : sameContent(entry.live, after) ? "unchanged" : "configured";
  return dryRun ? `${action} (dry run)` : action;
}

/** What an apply can change, without the bookkeeping the API server updates on every write. */
function applyComparable(object: KubeObject): KubeObject {
  const { managedFields: _managedFields, resourceVersion: _resourceVersion, ...metadata } = object.metadata;
  if (metadata.annotations?.[LAST_APPLIED_ANNOTATION] !== undefined) {
    const { [LAST_APPLIED_ANNOTATION]: _lastApplied, ...annotations } = metadata.annotations;
    metadata.annotations = annotations;
  }
  const { status: _status, ...rest } = object;
  return { ...rest, metadata };
}

function sameContent(before: KubeObject, after: KubeObject): boolean {
  return isDeepStrictEqual(applyComparable(before), applyComparable(after));
}

/**
 * New CRDs must be Established before their kinds are served; then the objects of those kinds get
 * their kind resolved (they cannot exist yet, so they have no live state to compare with).
 */
async function awaitNewKinds(
  ctx: { signal: AbortSignal },
  kube: Kube,
  early: PlannedObject[],
  rest: PlannedObject[],
): Promise<string | undefined> {
  const unresolved = rest.filter((entry) => !entry.resolved);
  if (unresolved.length === 0) return undefined;
  const crds = early.filter((entry) => entry.object.kind === "CustomResourceDefinition");
  const deadline = performance.now() + CRD_WAIT_MS;
  for (const crd of crds) {
    while (!(await established(kube, crd))) {
      if (ctx.signal.aborted || performance.now() > deadline) {
        const why = ctx.signal.aborted ? "the call ended" : `${CRD_WAIT_MS / 1000}s passed`;
        return `${crd.path} was not Established ${where(kube)} before ${why}`;
      }
      await new Promise((resolve) => setTimeout(resolve, CRD_POLL_MS));
    }
  }
  for (const entry of unresolved) {
    try {
      entry.resolved = await kube.resolveKind(entry.object.kind, entry.object.apiVersion);
    } catch (error) {
      if (!(error instanceof KubeError)) throw error;
      return `${entry.path}: ${error.message}`;
    }
  }
  return undefined;
}

async function established(kube: Kube, crd: PlannedObject): Promise<boolean> {
  if (!crd.resolved) return false;
  const live = await kube.get(crd.resolved, crd.object.metadata.name ?? "");
  return findCondition(live, "Established")?.status === "True";
}
