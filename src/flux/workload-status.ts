// A workload's health in a few words, for the non-Flux steps of a trace (a Pod, its ReplicaSet, the
// Deployment): enough to see that the thing at the bottom of the chain is the one in trouble.
import { deploymentHealth } from "./installation.ts";
import type { KubeObject } from "../kube/types.ts";

interface ContainerStatus {
  name?: string;
  restartCount?: number;
  ready?: boolean;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string; exitCode?: number } };
}

/** Undefined for kinds without a notion of health (ConfigMap, Service…). */
export function workloadStatus(object: KubeObject): string | undefined {
  if (object.apiVersion === "v1" && object.kind === "Pod") return podStatus(object);
  if (object.apiVersion !== "apps/v1") return undefined;
  const spec = (object.spec ?? {}) as { replicas?: number };
  const status = (object.status ?? {}) as {
    readyReplicas?: number;
    numberReady?: number;
    desiredNumberScheduled?: number;
  };
  switch (object.kind) {
    case "Deployment":
      return deploymentHealth(object).status;
    case "ReplicaSet":
    case "StatefulSet":
      return `${status.readyReplicas ?? 0}/${spec.replicas ?? 1} ready`;
    case "DaemonSet":
      return `${status.numberReady ?? 0}/${status.desiredNumberScheduled ?? 0} ready`;
    default:
      return undefined;
  }
}

/** "Running", or "Running; cart: CrashLoopBackOff, 14 restarts". */
function podStatus(pod: KubeObject): string {
  const status = (pod.status ?? {}) as {
    phase?: string;
    reason?: string;
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
  const phase = status.reason ?? status.phase ?? "Unknown";
  if (pod.metadata.deletionTimestamp) return `${phase}, terminating`;
  const problems = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])].flatMap(
    (container) => {
      const waiting = container.state?.waiting?.reason;
      const terminated = container.state?.terminated;
      const failed = terminated && terminated.reason !== "Completed" ? terminated.reason : undefined;
      const state = waiting ?? failed ?? (container.ready === false && !terminated ? "not ready" : undefined);
      if (!state) return [];
      const restarts = container.restartCount ? `, ${container.restartCount} restarts` : "";
      return [`${container.name ?? "?"}: ${state}${restarts}`];
    },
  );
  return problems.length > 0 ? `${phase}; ${problems.join("; ")}` : phase;
}
