// Parameters the operation tools share, under the reference server's names.
import { z } from "zod";
import {
  apiVersionArgument,
  durationArgument,
  kindArgument,
  manifestArgument,
  nameArgument,
  namespaceArgument,
} from "./bounds.ts";
import { parseDuration } from "./duration.ts";

/** How long a reconcile waits for its outcome unless told otherwise. */
export const DEFAULT_WAIT_MS = 30_000;

/** The wait budget a `wait_timeout` argument gives, in milliseconds. */
export function waitBudget(waitTimeout: string | undefined): number {
  return (waitTimeout === undefined ? undefined : parseDuration(waitTimeout)) ?? DEFAULT_WAIT_MS;
}

export const apiVersionParam = apiVersionArgument()
  .min(1)
  .optional()
  .describe("e.g. apps/v1; omit for the kind's preferred version");

export const kindParam = kindArgument().describe("Kind, e.g. Deployment, Kustomization");

export const nameParam = nameArgument().describe("Object name");

export const namespaceParam = namespaceArgument().describe("Namespace");

export const optionalNamespaceParam = namespaceArgument()
  .optional()
  .describe("Omit for cluster-scoped kinds");

export const withSourceParam = z.boolean().default(false).describe("Reconcile its source first");

export const waitParam = z.boolean().default(true).describe("Wait for the outcome");

const waitTimeoutParam = durationArgument()
  .optional()
  .describe(`Wait limit, e.g. 2m (default ${DEFAULT_WAIT_MS / 1000}s)`);

/** The arguments of a tool that waits for Flux's outcome. */
export const waitInput = { wait: waitParam, wait_timeout: waitTimeoutParam };

/** What a wait needs of those arguments: whether to wait, and for how long at most. */
export function waitChoice(args: { wait: boolean; wait_timeout?: string | undefined }): {
  wait: boolean;
  waitMs: number;
} {
  return { wait: args.wait, waitMs: waitBudget(args.wait_timeout) };
}

export const overwriteParam = z.boolean().default(false).describe("Also change objects Flux manages");

export const dryRunParam = z.boolean().default(false).describe("Validate only, change nothing");

export const yamlContentParam = manifestArgument().describe(
  "Objects as YAML or JSON, multi-document or a List",
);
