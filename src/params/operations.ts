// Parameters the operation tools share, under the reference server's names.
import { z } from "zod";
import {
  apiVersionArgument,
  kindArgument,
  manifestArgument,
  nameArgument,
  namespaceArgument,
} from "./bounds.ts";
import { durationArgument, parseDuration } from "./duration.ts";

/** How long a reconcile waits for its outcome unless told otherwise. */
export const DEFAULT_WAIT_MS = 30_000;

/** The wait budget a `wait_timeout` argument gives, in milliseconds. */
export function waitBudget(waitTimeout: string | undefined): number {
  return (waitTimeout === undefined ? undefined : parseDuration(waitTimeout)) ?? DEFAULT_WAIT_MS;
}

export const apiVersionParam = apiVersionArgument()
  .min(1)
  .optional()
  .describe(
    "API version, e.g. apps/v1 or kustomize.toolkit.fluxcd.io/v1; omit to use the cluster's preferred one.",
  );

export const kindParam = kindArgument().describe("Kind, e.g. Deployment or Kustomization.");

export const nameParam = nameArgument().describe("Name of the object.");

export const namespaceParam = namespaceArgument().describe("Namespace of the object.");

export const optionalNamespaceParam = namespaceArgument()
  .optional()
  .describe("Namespace of the object; omit for cluster-scoped kinds.");

export const withSourceParam = z
  .boolean()
  .default(false)
  .describe(
    "Reconcile the object's source first (spec.chartRef, spec.sourceRef, or the HelmChart generated from spec.chart), and that source's own source.",
  );

export const waitParam = z
  .boolean()
  .default(true)
  .describe(
    "Wait until the controller has handled the request and report the outcome (Ready, reason, message, revision); false returns as soon as it is requested.",
  );

export const waitTimeoutParam = durationArgument()
  .optional()
  .describe(
    `How long to wait for the outcome, e.g. 30s or 2m (default ${DEFAULT_WAIT_MS / 1000}s; the server's --timeout still bounds the call). When it runs out the answer says the reconciliation is still in progress, which is not a failure.`,
  );

export const overwriteParam = z
  .boolean()
  .default(false)
  .describe(
    "Also change objects that Flux manages (labelled by a Kustomization, HelmRelease, FluxInstance or ResourceSet); Flux reverts such changes at its next reconciliation unless the source changes too.",
  );

export const dryRunParam = z
  .boolean()
  .default(false)
  .describe("Have the API server validate the change without persisting it.");

export const yamlContentParam = manifestArgument().describe(
  "Kubernetes objects as YAML or JSON: several documents separated by ---, or a kind: List.",
);
