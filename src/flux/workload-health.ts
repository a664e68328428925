// A workload's health as evidence for a causal chain: its rollout, its pods found by selector, each
// troubled container's state, last termination and the tail of its log (and of the crashed instance
// before it, when the kubelet still has that one).
import { KubeError, type Kube, type KubeObject } from "../kube/types.ts";
import { podsOf } from "../kube/workload-pods.ts";
import { deploymentHealth } from "./installation.ts";

/** Kinds whose health a chain reads: the ones that run pods for a long time. */
export const CHAIN_WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet"] as const;
/** Pods whose containers are read for a log excerpt; a rollout's troubles show in its newest pods. */
const PODS_READ = 2;
/** Lines read from a log's end to pick the excerpt from. */
const LOG_TAIL_LINES = 30;
const EXCERPT_LINES = 3;
const ERROR_LINE = /\b(error|fatal|panic|fail(ed|ure)?|exception|refused|denied|not set|invalid)\b/i;

interface ContainerTrouble {
  container: string;
  /** "waiting CrashLoopBackOff", "not ready". */
  state: string;
  restarts: number;
  /** "Error, exit code 1, 3m ago". */
  lastTermination?: string;
  /** The last lines of the running (or waiting) instance's log that say what went wrong. */
  log?: string[];
  /** The same from the instance before the last restart, when the kubelet has its log. */
  previousLog?: string[];
  /** Why no log is shown, when reading it failed. */
  logUnreadable?: string;
}

export interface PodTrouble {
  pod: string;
  phase: string;
  containers: ContainerTrouble[];
}

export interface WorkloadHealth {
  healthy: boolean;
  /** The rollout in a few words: "ready", "0/1 available: …". */
  status: string;
  /** How many pods the selector finds. */
  pods: number;
  troubled: PodTrouble[];
}

interface ContainerStatus {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string; exitCode?: number } };
  lastState?: { terminated?: { reason?: string; exitCode?: number; finishedAt?: string } };
}

/** The workload's health; its pods' logs are read only for containers in trouble. */
export async function workloadHealth(kube: Kube, workload: KubeObject, now: number): Promise<WorkloadHealth> {
  const rollout = rolloutStatus(workload);
  const pods = await podsOf(kube, workload);
  const troubled: PodTrouble[] = [];
  for (const pod of pods) {
    const containers = containerTroubles(pod, now);
    if (containers.length === 0) continue;
    if (troubled.length < PODS_READ) {
      await Promise.all(containers.map((trouble) => addLogExcerpts(kube, pod, trouble)));
    }
    const status = (pod.status ?? {}) as { phase?: string; reason?: string };
    troubled.push({
      pod: pod.metadata.name ?? "",
      phase: status.reason ?? status.phase ?? "Unknown",
      containers,
    });
  }
  return {
    healthy: rollout.ready && troubled.length === 0,
    status: rollout.status,
    pods: pods.length,
    troubled,
  };
}

function rolloutStatus(workload: KubeObject): { ready: boolean; status: string } {
  if (workload.kind === "Deployment") return deploymentHealth(workload);
  const spec = (workload.spec ?? {}) as { replicas?: number };
  const status = (workload.status ?? {}) as {
    readyReplicas?: number;
    numberReady?: number;
    desiredNumberScheduled?: number;
  };
  const [ready, wanted] =
    workload.kind === "DaemonSet"
      ? [status.numberReady ?? 0, status.desiredNumberScheduled ?? 0]
      : [status.readyReplicas ?? 0, spec.replicas ?? 1];
  return { ready: ready >= wanted, status: ready >= wanted ? "ready" : `${ready}/${wanted} ready` };
}

function containerTroubles(pod: KubeObject, now: number): ContainerTrouble[] {
  const status = (pod.status ?? {}) as {
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
  };
  return [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])].flatMap(
    (container) => {
      const waiting = container.state?.waiting?.reason;
      const terminated = container.state?.terminated;
      const failed =
        terminated && terminated.reason !== "Completed" ? `terminated ${terminated.reason}` : undefined;
      const state =
        (waiting && `waiting ${waiting}`) ??
        failed ??
        (container.ready === false && !terminated ? "not ready" : undefined);
      const restarts = container.restartCount ?? 0;
      if (!state && restarts === 0) return [];
      const last = container.lastState?.terminated;
      return [
        {
          container: container.name ?? "?",
          state: state ?? "running",
          restarts,
          ...(last && { lastTermination: terminationText(last, now) }),
        },
      ];
    },
  );
}

function terminationText(
  terminated: { reason?: string; exitCode?: number; finishedAt?: string },
  now: number,
) {
  const finished = terminated.finishedAt ? Date.parse(terminated.finishedAt) : NaN;
  const ago = Number.isNaN(finished) ? "" : `, ${Math.max(0, Math.round((now - finished) / 60_000))}m ago`;
  const code = terminated.exitCode === undefined ? "" : `, exit code ${terminated.exitCode}`;
  return `${terminated.reason ?? "terminated"}${code}${ago}`;
}

async function addLogExcerpts(kube: Kube, pod: KubeObject, trouble: ContainerTrouble): Promise<void> {
  const namespace = pod.metadata.namespace ?? "";
  const name = pod.metadata.name ?? "";
  // The kubelet keeps the log of the last terminated instance only, and only once it restarted.
  const hasPrevious = trouble.restarts > 0 && trouble.lastTermination !== undefined;
  try {
    const current = await kube.podLogs(namespace, name, {
      container: trouble.container,
      tailLines: LOG_TAIL_LINES,
    });
    const excerpt = logExcerpt(current);
    if (excerpt.length > 0) trouble.log = excerpt;
    if (hasPrevious) {
      const previous = await kube.podLogs(namespace, name, {
        container: trouble.container,
        tailLines: LOG_TAIL_LINES,
        previous: true,
      });
      const previousExcerpt = logExcerpt(previous);
      if (previousExcerpt.length > 0) trouble.previousLog = previousExcerpt;
    }
  } catch (error) {
    if (!(error instanceof KubeError) || error.reason === "Cancelled" || error.reason === "Timeout")
      throw error;
    trouble.logUnreadable = error.message;
  }
}

/** The last lines that look like errors, else the last lines: a crash says why at the end. */
function logExcerpt(text: string): string[] {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const errors = lines.filter((line) => ERROR_LINE.test(line));
  return (errors.length > 0 ? errors : lines).slice(-EXCERPT_LINES);
}
