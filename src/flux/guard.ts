// The guard in front of every write to an object that Flux applies: a hand-made change there is
// reverted at the next reconciliation, so it takes an explicit `overwrite: true`.
import { describeManager, fluxManagersOf } from "./managed-by.ts";
import type { KubeObject } from "../kube/types.ts";

/** "Kustomization flux-system/apps", or undefined when no Flux applier manages the live object. */
export function fluxManagement(live: KubeObject | undefined): string | undefined {
  const managers = live ? fluxManagersOf(live) : [];
  return managers.length > 0 ? managers.map(describeManager).join(", ") : undefined;
}

/** The one-line refusal for objects Flux manages; `subjects` names each with its manager. */
export function managedRefusal(verb: string, subjects: string[], place: string): string {
  const what = subjects.length === 1 ? subjects[0] : `${subjects.length} objects: ${subjects.join("; ")}`;
  return `refusing to ${verb} ${what} ${place}: managed by Flux, which reverts manual changes at its next reconciliation; change the source in Git instead, or call again with overwrite: true`;
}
