// A reconcile request the way `flux reconcile` makes it: refuse suspended objects, optionally go
// through the sources first (each one handled before the next), annotate, wait, report.
import { newRequestToken, reconcileProgress, reconcileRequestPatch } from "./reconcile.ts";
import { isStaticSource, sourceOf } from "./reconcile-sources.ts";
import { isSuspended, suspensionMarker } from "./suspend.ts";
import { KubeError, type Kube } from "../kube/types.ts";
import { PATCH_FIELD_MANAGER } from "../kube/field-managers.ts";
import { getFluxTarget, resolveFluxKind, type FluxTarget } from "./target.ts";
import { where } from "../format/names.ts";
import { describeOutcome, progressReporter, waitForOutcome, type WaitingCall } from "./reconcile-wait.ts";

/** What a reconcile needs of the call it runs in (a tool's context is one). */
export interface ReconcileCall extends WaitingCall {
  kube(): Promise<Kube>;
}

/** What a reconcile answers: the text a model reads, and whether the reconcile was refused or failed. */
export interface ReconcileAnswer {
  text: string;
  isError?: boolean;
}

function failure(text: string): ReconcileAnswer {
  return { text, isError: true };
}

/** HelmChart → HelmRepository is the longest chain Flux builds; the bound guards against odd refs. */
const MAX_SOURCE_DEPTH = 3;

export interface ReconcileRequest {
  kind: string;
  apiVersion?: string;
  name: string;
  namespace: string;
  withSource: boolean;
  /** Undefined: the kind's default (forced for HelmRelease and ResourceSetInputProvider). */
  force?: boolean;
  wait: boolean;
  /** How long to wait for the outcomes, in all (the call's --timeout still applies). */
  waitMs: number;
}

export async function reconcileFluxObject(
  ctx: ReconcileCall,
  request: ReconcileRequest,
): Promise<ReconcileAnswer> {
  const kube = await ctx.kube();
  const place = where(kube);
  const kind = await resolveFluxKind(kube, request.kind, request.apiVersion);
  if ("refusal" in kind) return failure(`cannot reconcile ${request.kind} ${request.name}: ${kind.refusal}`);
  const { resolved, fluxKind } = kind;
  if (!fluxKind.reconcilable) {
    return failure(
      `${resolved.kind} ${request.namespace}/${request.name} cannot be reconciled: ${resolved.kind} has no status and is not reconciled on request (reconcilable kinds: Kustomization, HelmRelease, the sources, image automation, Receiver and the Flux Operator kinds)`,
    );
  }
  if (request.force === true && !fluxKind.forceable) {
    return failure(
      `force applies to HelmRelease, FluxInstance and ResourceSetInputProvider only, not to ${resolved.kind}; call again without force`,
    );
  }
  const primary = await getFluxTarget(kube, resolved, fluxKind, request.name, request.namespace);
  if (isStaticSource(primary.object)) {
    return failure(
      `${primary.title} ${place} is static (type: oci): helm-controller pulls its charts directly, there is nothing to reconcile`,
    );
  }
  const chain = await sourceChain(kube, primary, request.withSource);
  if ("error" in chain) return chain.error;
  const suspended = chain.targets.find((target) => isSuspended(target.object, target.fluxKind));
  if (suspended) {
    const role = suspended === primary ? "" : ` (the source of ${primary.title})`;
    return failure(
      `${suspended.title}${role} ${place}: resource is suspended (${suspensionMarker(suspended.fluxKind)}); resume it with resume_flux_reconciliation first`,
    );
  }
  const force = request.force ?? fluxKind.forcedByDefault;
  return requestInOrder(kube, ctx, chain.targets, { ...request, force }, place, chain.notes);
}

interface Chain {
  /** Sources first, the requested object last. */
  targets: FluxTarget[];
  notes: string[];
}

async function sourceChain(
  kube: Kube,
  primary: FluxTarget,
  withSource: boolean,
): Promise<Chain | { error: ReconcileAnswer }> {
  const targets = [primary];
  const notes: string[] = [];
  let current = primary;
  while (withSource && targets.length <= MAX_SOURCE_DEPTH) {
    const lookup = sourceOf(current.object);
    if ("none" in lookup) {
      if (current === primary) notes.push(`with_source: nothing to reconcile first: ${lookup.none}`);
      break;
    }
    const { fluxKind, name, namespace } = lookup.found;
    let source: FluxTarget;
    try {
      const resolved = await kube.resolveKind(fluxKind.kind, fluxKind.group);
      source = await getFluxTarget(kube, resolved, fluxKind, name, namespace);
    } catch (error) {
      if (!(error instanceof KubeError)) throw error;
      return {
        error: failure(
          `${error.message} (the source of ${current.title}); call again without with_source to reconcile ${primary.title} alone`,
        ),
      };
    }
    if (isStaticSource(source.object)) {
      notes.push(`with_source: ${source.title} is static (type: oci) and has nothing to reconcile`);
      break;
    }
    targets.unshift(source);
    current = source;
  }
  return { targets, notes };
}

async function requestInOrder(
  kube: Kube,
  ctx: ReconcileCall,
  targets: FluxTarget[],
  request: ReconcileRequest & { force: boolean },
  place: string,
  notes: string[],
): Promise<ReconcileAnswer> {
  const report = progressReporter(ctx);
  const primary = targets[targets.length - 1];
  const blocks: string[] = [];
  // One budget for the whole chain: the sources' waits count against it too.
  const waitEnds = performance.now() + request.waitMs;
  for (const target of targets) {
    const force = request.force && target === primary;
    const token = newRequestToken();
    try {
      await kube.patch(
        target.resolved,
        target.object.metadata.name ?? "",
        target.object.metadata.namespace,
        reconcileRequestPatch(token, force),
        "merge",
        { fieldManager: PATCH_FIELD_MANAGER },
      );
    } catch (error) {
      if (!(error instanceof KubeError)) throw error;
      return failure([...blocks, `${target.title}: reconcile request failed: ${error.message}`].join("\n"));
    }
    const forced = force ? " (forced)" : "";
    if (!request.wait) {
      blocks.push(
        `${target.title} ${place}: reconciliation requested${forced} (requestedAt ${token}); not waiting`,
      );
      continue;
    }
    report(`${target.title}: reconciliation requested${forced}`);
    const outcome = await waitForOutcome(
      kube,
      ctx,
      target,
      (object) => reconcileProgress(object, token),
      report,
      waitEnds - performance.now(),
    );
    const lines = describeOutcome(target, outcome, place);
    if (force && lines[0]) lines[0] += forced;
    blocks.push(lines.join("\n"));
    if (target === primary) break;
    if (outcome.interrupted) {
      blocks.push(`${primary?.title}: not requested, the wait for its source ended first`);
      break;
    }
    if (outcome.progress.state === "done" && !outcome.progress.ready) {
      blocks.push(
        `${primary?.title}: not requested, because its source is not ready; fix the source, or call again without with_source`,
      );
      break;
    }
  }
  if (!request.wait) {
    blocks.push(
      "The controller has handled a request when status.lastHandledReconcileAt equals its requestedAt.",
    );
  }
  return { text: [...blocks, ...notes].join("\n") };
}
