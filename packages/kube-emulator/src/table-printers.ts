// Server-side printers for the built-in kinds: the columns and cells kube-apiserver puts in a
// meta.k8s.io/v1 Table, so that `kubectl get` prints what it prints against a real cluster.
// Like kube-apiserver, every printer always fills the `-o wide` (priority 1) cells; kubectl
// drops them unless asked.
import { ageSince, humanDuration, parseTimestamp } from "./human-duration.ts";
import type { KubeObject } from "./types.ts";

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface PrintedRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
}

export interface TablePrinter {
  columns: TableColumnDefinition[];
  print(object: KubeObject, now: Date): PrintedRow;
}

type Fields = Record<string, unknown>;

export function column(
  name: string,
  description: string,
  options: { type?: string; format?: string; priority?: number } = {},
): TableColumnDefinition {
  return {
    name,
    type: options.type ?? "string",
    format: options.format ?? "",
    description,
    priority: options.priority ?? 0,
  };
}

export const NAME_COLUMN = column("Name", "The object's name, unique within its namespace.", {
  format: "name",
});
export const AGE_COLUMN = column("Age", "Time elapsed since the object was created.");
const CREATED_AT_COLUMN = column("Created At", "When the object was created, in UTC.", { type: "date" });
const CONTAINERS_COLUMN = column("Containers", "Names of the containers in the pod template.", {
  priority: 1,
});
const IMAGES_COLUMN = column("Images", "Images of the containers in the pod template.", { priority: 1 });
const SELECTOR_COLUMN = column("Selector", "Label selector of the pods this object manages.", {
  priority: 1,
});

/** The printer kube-apiserver uses for a built-in kind, or undefined for kinds printed as Name + Age. */
export function builtinPrinter(group: string, kind: string): TablePrinter | undefined {
  return BUILTIN_PRINTERS.get(`${group}/${kind}`);
}

const BUILTIN_PRINTERS = new Map<string, TablePrinter>([
  ["/Pod", podPrinter()],
  ["apps/Deployment", deploymentPrinter()],
  ["apps/ReplicaSet", replicaSetPrinter()],
  ["apps/StatefulSet", statefulSetPrinter()],
  ["apps/DaemonSet", daemonSetPrinter()],
  ["batch/Job", jobPrinter()],
  ["batch/CronJob", cronJobPrinter()],
  ["/Service", servicePrinter()],
  ["/ConfigMap", configMapPrinter()],
  ["/Secret", secretPrinter()],
  ["/ServiceAccount", serviceAccountPrinter()],
  ["/Namespace", namespacePrinter()],
  ["/Node", nodePrinter()],
  ["/Event", eventPrinter()],
  ["events.k8s.io/Event", eventPrinter()],
  ["/PersistentVolumeClaim", persistentVolumeClaimPrinter()],
  ["networking.k8s.io/Ingress", ingressPrinter()],
  ["apiextensions.k8s.io/CustomResourceDefinition", createdAtPrinter()],
  ["rbac.authorization.k8s.io/ClusterRole", createdAtPrinter()],
  ["rbac.authorization.k8s.io/Role", createdAtPrinter()],
  ["rbac.authorization.k8s.io/ClusterRoleBinding", bindingPrinter()],
  ["rbac.authorization.k8s.io/RoleBinding", bindingPrinter()],
]);

function podPrinter(): TablePrinter {
  return {
    columns: [
      NAME_COLUMN,
      column("Ready", "Ready containers out of all containers of the pod."),
      column("Status", "Summary of the pod's phase and its containers' states."),
      column("Restarts", "Container restarts in the pod, and how long ago the last one happened."),
      AGE_COLUMN,
      column("IP", "The pod's primary IP address.", { priority: 1 }),
      column("Node", "The node the pod is scheduled to.", { priority: 1 }),
      column("Nominated Node", "The node the pod may be scheduled to after preemption.", { priority: 1 }),
      column("Readiness Gates", "Readiness gates whose condition is true, out of all gates.", {
        priority: 1,
      }),
    ],
    print(pod, now) {
      const spec = fields(pod.spec);
      const status = fields(pod.status);
      const summary = podStatusSummary(pod);
      const restarts =
        summary.restarts !== 0 && summary.lastRestart !== undefined
          ? `${summary.restarts} (${humanDuration(now.getTime() - summary.lastRestart)} ago)`
          : String(summary.restarts);
      const podIps = records(status.podIPs);
      const ip = text(podIps[0]?.ip) || text(status.podIP) || "<none>";
      const row: PrintedRow = {
        cells: [
          pod.metadata.name ?? "",
          `${summary.ready}/${summary.total}`,
          summary.reason,
          restarts,
          ageSince(pod.metadata.creationTimestamp, now),
          ip,
          text(spec.nodeName) || "<none>",
          text(status.nominatedNodeName) || "<none>",
          readinessGates(spec, status),
        ],
      };
      const phase = text(status.phase);
      if (phase === "Succeeded" || phase === "Failed") {
        const message =
          phase === "Succeeded" ? "All containers of the pod exited successfully." : "The pod failed.";
        row.conditions = [{ type: "Completed", status: "True", reason: phase, message }];
      }
      return row;
    },
  };
}

interface PodStatusSummary {
  ready: number;
  total: number;
  reason: string;
  restarts: number;
  /** When the most recently restarted container last terminated, in epoch milliseconds. */
  lastRestart: number | undefined;
}

/** STATUS, READY and RESTARTS of a pod, derived from its container statuses like kubectl shows them. */
function podStatusSummary(pod: KubeObject): PodStatusSummary {
  const spec = fields(pod.spec);
  const status = fields(pod.status);
  const conditions = records(status.conditions);
  const phase = text(status.phase);
  let reason = text(status.reason) || phase;
  if (
    conditions.some(
      (condition) => condition.type === "PodScheduled" && condition.reason === "SchedulingGated",
    )
  ) {
    reason = "SchedulingGated";
  }

  // Init containers with restartPolicy Always are sidecars: they count as regular containers.
  const initContainers = records(spec.initContainers);
  const sidecars = new Set(
    initContainers.filter((container) => container.restartPolicy === "Always").map((c) => text(c.name)),
  );
  const total = records(spec.containers).length + sidecars.size;
  let ready = 0;
  let restarts = 0;
  let lastRestart: number | undefined;
  let sidecarRestarts = 0;
  let lastSidecarRestart: number | undefined;
  let initializing = false;

  for (const [index, container] of records(status.initContainerStatuses).entries()) {
    const restartCount = whole(container.restartCount);
    const finishedAt = lastTerminationTime(container);
    restarts += restartCount;
    lastRestart = latest(lastRestart, finishedAt);
    const isSidecar = sidecars.has(text(container.name));
    if (isSidecar) {
      sidecarRestarts += restartCount;
      lastSidecarRestart = latest(lastSidecarRestart, finishedAt);
    }
    const state = fields(container.state);
    const terminated = optionalFields(state.terminated);
    const waiting = optionalFields(state.waiting);
    if (terminated && whole(terminated.exitCode) === 0) continue;
    if (isSidecar && container.started === true) {
      if (container.ready === true) ready++;
      continue;
    }
    initializing = true;
    if (terminated) reason = `Init:${terminationReason(terminated)}`;
    else if (waiting && text(waiting.reason) !== "" && waiting.reason !== "PodInitializing") {
      reason = `Init:${text(waiting.reason)}`;
    } else reason = `Init:${index}/${initContainers.length}`;
    break;
  }

  if (!initializing || conditionIsTrue(conditions, "Initialized")) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    // Walk backwards so that the first container's state wins the STATUS column.
    for (const container of records(status.containerStatuses).reverse()) {
      restarts += whole(container.restartCount);
      lastRestart = latest(lastRestart, lastTerminationTime(container));
      const state = fields(container.state);
      const waiting = optionalFields(state.waiting);
      const terminated = optionalFields(state.terminated);
      if (waiting && text(waiting.reason) !== "") reason = text(waiting.reason);
      else if (terminated) reason = terminationReason(terminated);
      else if (container.ready === true && optionalFields(state.running)) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod whose main containers completed but a sidecar still runs is not "Completed".
    if (reason === "Completed" && hasRunning) {
      reason = conditionIsTrue(conditions, "Ready") ? "Running" : "NotReady";
    }
  }

  const deleting = Boolean(pod.metadata.deletionTimestamp);
  if (deleting && status.reason === "NodeLost") reason = "Unknown";
  else if (deleting && phase !== "Succeeded" && phase !== "Failed") reason = "Terminating";

  return { ready, total, reason, restarts, lastRestart };
}

function terminationReason(terminated: Fields): string {
  if (text(terminated.reason) !== "") return text(terminated.reason);
  const signal = whole(terminated.signal);
  return signal !== 0 ? `Signal:${signal}` : `ExitCode:${whole(terminated.exitCode)}`;
}

function lastTerminationTime(containerStatus: Fields): number | undefined {
  const terminated = optionalFields(fields(containerStatus.lastState).terminated);
  return terminated ? parseTimestamp(terminated.finishedAt) : undefined;
}

function readinessGates(spec: Fields, status: Fields): string {
  const gates = records(spec.readinessGates);
  if (gates.length === 0) return "<none>";
  const conditions = records(status.conditions);
  const passing = gates.filter((gate) => {
    const condition = conditions.find((candidate) => candidate.type === gate.conditionType);
    return condition?.status === "True";
  }).length;
  return `${passing}/${gates.length}`;
}

function deploymentPrinter(): TablePrinter {
  return {
    columns: [
      NAME_COLUMN,
      column("Ready", "Ready pods out of the desired replicas."),
      column("Up-to-date", "Replicas running the latest pod template."),
      column("Available", "Replicas available to serve for at least minReadySeconds."),
      AGE_COLUMN,
      CONTAINERS_COLUMN,
      IMAGES_COLUMN,
      SELECTOR_COLUMN,
    ],
    print(deployment, now) {
      const spec = fields(deployment.spec);
      const status = fields(deployment.status);
      const template = podTemplateCells(spec.template);
      return {
        cells: [
          deployment.metadata.name ?? "",
          `${whole(status.readyReplicas)}/${desiredReplicas(spec)}`,
          whole(status.updatedReplicas),
          whole(status.availableReplicas),
          ageSince(deployment.metadata.creationTimestamp, now),
          template.containers,
          template.images,
          labelSelectorString(spec.selector),
        ],
      };
    },
  };
}

function replicaSetPrinter(): TablePrinter {
  return {
    columns: [
      NAME_COLUMN,
      column("Desired", "Replicas the ReplicaSet should run.", { type: "integer" }),
      column("Current", "Replicas that currently exist.", { type: "integer" }),
      column("Ready", "Replicas that are ready.", { type: "integer" }),
      AGE_COLUMN,
      CONTAINERS_COLUMN,
      IMAGES_COLUMN,
      SELECTOR_COLUMN,
    ],
    print(replicaSet, now) {
      const spec = fields(replicaSet.spec);
      const status = fields(replicaSet.status);
      const template = podTemplateCells(spec.template);
      return {
        cells: [
          replicaSet.metadata.name ?? "",
          desiredReplicas(spec),
          whole(status.replicas),
          whole(status.readyReplicas),
          ageSince(replicaSet.metadata.creationTimestamp, now),
          template.containers,
          template.images,
          labelSelectorString(spec.selector),
        ],
      };
    },
  };
}

function statefulSetPrinter(): TablePrinter {
  return {
    columns: [
      NAME_COLUMN,
      column("Ready", "Ready pods out of the desired replicas."),
      AGE_COLUMN,
      CONTAINERS_COLUMN,
      IMAGES_COLUMN,
    ],
    print(statefulSet, now) {
      const spec = fields(statefulSet.spec);
      const template = podTemplateCells(spec.template);
      return {
        cells: [
          statefulSet.metadata.name ?? "",
          `${whole(fields(statefulSet.status).readyReplicas)}/${desiredReplicas(spec)}`,
          ageSince(statefulSet.metadata.creationTimestamp, now),
          template.containers,
          template.images,
        ],
      };
    },
  };
}

function daemonSetPrinter(): TablePrinter {
  return {
    columns: [
      NAME_COLUMN,
      column("Desired", "Nodes that should run the daemon pod.", { type: "integer" }),
      column("Current", "Nodes running at least one daemon pod.", { type: "integer" }),
      column("Ready", "Nodes whose daemon pod is ready.", { type: "integer" }),
      column("Up-to-date", "Nodes running the latest pod template.", { type: "integer" }),
      column("Available", "Nodes whose daemon pod is available.", { type: "integer" }),
      column("Node Selector", "Labels a node needs to run the daemon pod."),
      AGE_COLUMN,
      CONTAINERS_COLUMN,
      IMAGES_COLUMN,
      SELECTOR_COLUMN,
    ],
    print(daemonSet, now) {
      const spec = fields(daemonSet.spec);
      const status = fields(daemonSet.status);
      const template = podTemplateCells(spec.template);
      return {
        cells: [
          daemonSet.metadata.name ?? "",
          whole(status.desiredNumberScheduled),
          whole(status.currentNumberScheduled),
          whole(status.numberReady),
          whole(status.updatedNumberScheduled),
          whole(status.numberAvailable),
          formatLabels(fields(fields(fields(spec.template).spec).nodeSelector)),
          ageSince(daemonSet.metadata.creationTimestamp, now),
          template.containers,
          template.images,
          labelSelectorString(spec.selector),
        ],
      };
    },
  };
}

function jobPrinter(): TablePrinter {
  return {
    columns: [
      NAME_COLUMN,
      column("Status", "The job's state, from its conditions."),
      column("Completions", "Succeeded pods out of the completions the job needs."),
      column("Duration", "How long the job ran or has been running."),
      AGE_COLUMN,
      CONTAINERS_COLUMN,
      IMAGES_COLUMN,
      SELECTOR_COLUMN,
    ],
    print(job, now) {
      const spec = fields(job.spec);
      const status = fields(job.status);
      const template = podTemplateCells(spec.template);
      return {
        cells: [
          job.metadata.name ?? "",
          jobStatus(job),
          jobCompletions(spec, status),
          jobDuration(status, now),
          ageSince(job.metadata.creationTimestamp, now),
          template.containers,
          template.images,
          labelSelectorString(spec.selector),
        ],
      };
    },
  };
}

function jobStatus(job: KubeObject): string {
  const conditions = records(fields(job.status).conditions);
  if (conditionIsTrue(conditions, "Complete")) return "Complete";
  if (conditionIsTrue(conditions, "Failed")) return "Failed";
  if (job.metadata.deletionTimestamp) return "Terminating";
  if (conditionIsTrue(conditions, "Suspended")) return "Suspended";
  if (conditionIsTrue(conditions, "FailureTarget")) return "FailureTarget";
  if (conditionIsTrue(conditions, "SuccessCriteriaMet")) return "SuccessCriteriaMet";
  return "Running";
}

function jobCompletions(spec: Fields, status: Fields): string {
  const succeeded = whole(status.succeeded);
  if (typeof spec.completions === "number") return `${succeeded}/${whole(spec.completions)}`;
  const parallelism = whole(spec.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(status: Fields, now: Date): string {
  const start = parseTimestamp(status.startTime);
  if (start === undefined) return "";
  const completion = parseTimestamp(status.completionTime);
  return humanDuration((completion ?? now.getTime()) - start);
}

function cronJobPrinter(): TablePrinter {
  return {
    columns: [
      NAME_COLUMN,
      column("Schedule", "The cron schedule jobs are created on."),
      column("Timezone", "Time zone the schedule is read in."),
      column("Suspend", "Whether new jobs are held back.", { type: "boolean" }),
      column("Active", "Jobs of this CronJob currently running.", { type: "integer" }),
      column("Last Schedule", "Time since a job was last scheduled."),
      AGE_COLUMN,
      CONTAINERS_COLUMN,
      IMAGES_COLUMN,
      SELECTOR_COLUMN,
    ],
    print(cronJob, now) {
      const spec = fields(cronJob.spec);
      const status = fields(cronJob.status);
      const jobSpec = fields(fields(spec.jobTemplate).spec);
      const template = podTemplateCells(jobSpec.template);
      const lastSchedule = status.lastScheduleTime ? ageSince(status.lastScheduleTime, now) : "<none>";
      return {
        cells: [
          cronJob.metadata.name ?? "",
          text(spec.schedule),
          text(spec.timeZone) || "<none>",
          // The API defaults suspend to false, so an absent field prints as False.
          spec.suspend === true ? "True" : "False",
          records(status.active).length,
          lastSchedule,
          ageSince(cronJob.metadata.creationTimestamp, now),
          template.containers,
          template.images,
          labelSelectorString(jobSpec.selector) || "<none>",
        ],
      };
    },
  };
}

function servicePrinter(): TablePrinter {
  return {
    columns: [
      NAME_COLUMN,
      column("Type", "How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName."),
      column("Cluster-IP", "The virtual IP the service is reachable at inside the cluster."),
      column("External-IP", "Addresses the service is reachable at from outside the cluster."),
      column("Port(s)", "Ports the service exposes, with node ports and protocols."),
      AGE_COLUMN,
      column("Selector", "Labels of the pods that back the service.", { priority: 1 }),
    ],
    print(service, now) {
      const spec = fields(service.spec);
      const clusterIps = strings(spec.clusterIPs);
      const ports = records(spec.ports)
        .map((port) => {
          const protocol = text(port.protocol) || "TCP";
          const nodePort = whole(port.nodePort);
          return nodePort > 0
            ? `${whole(port.port)}:${nodePort}/${protocol}`
            : `${whole(port.port)}/${protocol}`;
        })
        .join(",");
      return {
        cells: [
          service.metadata.name ?? "",
          text(spec.type) || "ClusterIP",
          clusterIps[0] || text(spec.clusterIP) || "<none>",
          serviceExternalIp(service),
          ports || "<none>",
          ageSince(service.metadata.creationTimestamp, now),
          formatLabels(fields(spec.selector)),
        ],
      };
    },
  };
}

function serviceExternalIp(service: KubeObject): string {
  const spec = fields(service.spec);
  const externalIps = strings(spec.externalIPs);
  switch (text(spec.type) || "ClusterIP") {
    case "ClusterIP":
    case "NodePort":
      return externalIps.length > 0 ? externalIps.join(",") : "<none>";
    case "LoadBalancer": {
      const addresses = [...loadBalancerAddresses(fields(service.status).loadBalancer), ...externalIps];
      return addresses.length > 0 ? addresses.join(",") : "<pending>";
    }
    case "ExternalName":
      return text(spec.externalName);
    default:
      return "<unknown>";
  }
}

function loadBalancerAddresses(loadBalancer: unknown): string[] {
  return records(fields(loadBalancer).ingress)
    .map((ingress) => text(ingress.ip) || text(ingress.hostname))
    .filter((address) => address !== "");
}

function configMapPrinter(): TablePrinter {
  return {
    columns: [NAME_COLUMN, column("Data", "Number of keys in data and binaryData."), AGE_COLUMN],
    print(configMap, now) {
      const keys =
        Object.keys(fields(configMap.data)).length + Object.keys(fields(configMap.binaryData)).length;
      return {
        cells: [configMap.metadata.name ?? "", keys, ageSince(configMap.metadata.creationTimestamp, now)],
      };
    },
  };
}

function secretPrinter(): TablePrinter {
  return {
    columns: [
      NAME_COLUMN,
      column("Type", "The kind of secret, which decides the keys it must hold."),
      column("Data", "Number of keys the secret holds."),
      AGE_COLUMN,
    ],
    print(secret, now) {
      // stringData is folded into data on write; count it too in case a writer kept it.
      const keys = new Set([...Object.keys(fields(secret.data)), ...Object.keys(fields(secret.stringData))]);
      return {
        cells: [
          secret.metadata.name ?? "",
          text(secret.type) || "Opaque",
          keys.size,
          ageSince(secret.metadata.creationTimestamp, now),
        ],
      };
    },
  };
}

function serviceAccountPrinter(): TablePrinter {
  return {
    columns: [NAME_COLUMN, column("Secrets", "Number of secrets listed by the service account."), AGE_COLUMN],
    print(account, now) {
      return {
        cells: [
          account.metadata.name ?? "",
          records(account.secrets).length,
          ageSince(account.metadata.creationTimestamp, now),
        ],
      };
    },
  };
}

function namespacePrinter(): TablePrinter {
  return {
    columns: [NAME_COLUMN, column("Status", "Whether the namespace is Active or Terminating."), AGE_COLUMN],
    print(namespace, now) {
      return {
        cells: [
          namespace.metadata.name ?? "",
          text(fields(namespace.status).phase) || "Active",
          ageSince(namespace.metadata.creationTimestamp, now),
        ],
      };
    },
  };
}

function nodePrinter(): TablePrinter {
  return {
    columns: [
      NAME_COLUMN,
      column("Status", "Readiness of the node, and whether scheduling is disabled."),
      column("Roles", "Roles from the node's node-role.kubernetes.io labels."),
      AGE_COLUMN,
      column("Version", "Kubelet version the node runs."),
      column("Internal-IP", "The node's first internal address.", { priority: 1 }),
      column("External-IP", "The node's first external address.", { priority: 1 }),
      column("OS-Image", "Operating system image of the node.", { priority: 1 }),
      column("Kernel-Version", "Kernel version of the node.", { priority: 1 }),
      column("Container-Runtime", "Container runtime and its version.", { priority: 1 }),
    ],
    print(node, now) {
      const status = fields(node.status);
      const info = fields(status.nodeInfo);
      const ready = records(status.conditions).find((condition) => condition.type === "Ready");
      const states = [ready ? (ready.status === "True" ? "Ready" : "NotReady") : "Unknown"];
      if (fields(node.spec).unschedulable === true) states.push("SchedulingDisabled");
      const roles = nodeRoles(node.metadata.labels ?? {});
      const address = (type: string) =>
        text(records(status.addresses).find((entry) => entry.type === type)?.address) || "<none>";
      return {
        cells: [
          node.metadata.name ?? "",
          states.join(","),
          roles.length > 0 ? roles.join(",") : "<none>",
          ageSince(node.metadata.creationTimestamp, now),
          text(info.kubeletVersion),
          address("InternalIP"),
          address("ExternalIP"),
          text(info.osImage) || "<unknown>",
          text(info.kernelVersion) || "<unknown>",
          text(info.containerRuntimeVersion) || "<unknown>",
        ],
      };
    },
  };
}

function nodeRoles(labels: Record<string, string>): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels)) {
    if (key.startsWith("node-role.kubernetes.io/")) {
      const role = key.slice("node-role.kubernetes.io/".length);
      if (role !== "") roles.add(role);
    } else if (key === "kubernetes.io/role" && value !== "") {
      roles.add(value);
    }
  }
  return [...roles].sort();
}

/** core/v1 and events.k8s.io/v1 events print alike; the latter names some fields differently. */
function eventPrinter(): TablePrinter {
  return {
    columns: [
      column("Last Seen", "Time since the event was last observed."),
      column("Type", "Normal or Warning."),
      column("Reason", "Short machine-readable cause of the event."),
      column("Object", "The object the event is about."),
      column("Subobject", "The part of the object the event is about.", { priority: 1 }),
      column("Source", "The component, and host, that reported the event.", { priority: 1 }),
      column("Message", "Human-readable description of the event."),
      column("First Seen", "Time since the event was first observed.", { priority: 1 }),
      column("Count", "How many times the event was observed.", { priority: 1 }),
      column("Name", "The event object's name.", { priority: 1, format: "name" }),
    ],
    print(event, now) {
      const modern = event.apiVersion.startsWith("events.k8s.io/");
      const regarding = fields(modern ? event.regarding : event.involvedObject);
      const source = fields(modern ? event.deprecatedSource : event.source);
      const series = optionalFields(event.series);
      const firstTimestamp = modern ? event.deprecatedFirstTimestamp : event.firstTimestamp;
      const lastTimestamp = modern ? event.deprecatedLastTimestamp : event.lastTimestamp;
      const firstSeen = ageSince(
        parseTimestamp(firstTimestamp) === undefined ? event.eventTime : firstTimestamp,
        now,
      );
      let lastSeen = parseTimestamp(lastTimestamp) === undefined ? firstSeen : ageSince(lastTimestamp, now);
      let count = whole(modern ? event.deprecatedCount : event.count);
      if (series) {
        lastSeen = ageSince(series.lastObservedTime, now);
        count = whole(series.count);
      } else if (count === 0) {
        count = 1; // events.k8s.io singletons carry no count
      }
      const kind = text(regarding.kind).toLowerCase();
      const target = text(regarding.name) !== "" ? `${kind}/${text(regarding.name)}` : kind;
      const component =
        text(source.component) || text(modern ? event.reportingController : event.reportingComponent);
      const host = text(source.host) || text(event.reportingInstance);
      return {
        cells: [
          lastSeen,
          text(event.type),
          text(event.reason),
          target,
          text(regarding.fieldPath),
          host === "" ? component : `${component}, ${host}`,
          text(modern ? event.note : event.message).trim(),
          firstSeen,
          count,
          event.metadata.name ?? "",
        ],
      };
    },
  };
}

function persistentVolumeClaimPrinter(): TablePrinter {
  return {
    columns: [
      NAME_COLUMN,
      column("Status", "Pending, Bound or Lost."),
      column("Volume", "The PersistentVolume bound to the claim."),
      column("Capacity", "Storage capacity of the bound volume."),
      column("Access Modes", "Access modes of the bound volume."),
      column("StorageClass", "Storage class the claim asks for."),
      column("VolumeAttributesClass", "Volume attributes class the claim asks for."),
      AGE_COLUMN,
      column("VolumeMode", "Filesystem or Block.", { priority: 1 }),
    ],
    print(claim, now) {
      const spec = fields(claim.spec);
      const status = fields(claim.status);
      const volumeName = text(spec.volumeName);
      const bound = volumeName !== "";
      const storageClass =
        claim.metadata.annotations?.["volume.beta.kubernetes.io/storage-class"] ??
        text(spec.storageClassName);
      return {
        cells: [
          claim.metadata.name ?? "",
          claim.metadata.deletionTimestamp ? "Terminating" : text(status.phase),
          volumeName,
          bound ? quantityText(fields(status.capacity).storage) : "",
          bound ? accessModes(strings(status.accessModes)) : "",
          storageClass,
          text(spec.volumeAttributesClassName) || "<unset>",
          ageSince(claim.metadata.creationTimestamp, now),
          text(spec.volumeMode) || "<unset>",
        ],
      };
    },
  };
}

function accessModes(modes: string[]): string {
  const short: [string, string][] = [
    ["ReadWriteOnce", "RWO"],
    ["ReadOnlyMany", "ROX"],
    ["ReadWriteMany", "RWX"],
    ["ReadWriteOncePod", "RWOP"],
  ];
  return short
    .filter(([mode]) => modes.includes(mode))
    .map(([, abbreviation]) => abbreviation)
    .join(",");
}

function ingressPrinter(): TablePrinter {
  return {
    columns: [
      NAME_COLUMN,
      column("Class", "The IngressClass that implements the ingress."),
      column("Hosts", "Host names the rules match."),
      column("Address", "Addresses the load balancer serves the ingress at."),
      column("Ports", "Ports the ingress listens on: 80, plus 443 with TLS."),
      AGE_COLUMN,
    ],
    print(ingress, now) {
      const spec = fields(ingress.spec);
      return {
        cells: [
          ingress.metadata.name ?? "",
          text(spec.ingressClassName) || "<none>",
          ingressHosts(records(spec.rules)),
          loadBalancerAddresses(fields(ingress.status).loadBalancer).join(","),
          records(spec.tls).length > 0 ? "80, 443" : "80",
          ageSince(ingress.metadata.creationTimestamp, now),
        ],
      };
    },
  };
}

/** The first three hosts, then how many rules remain; "*" when no rule names a host. */
function ingressHosts(rules: Fields[]): string {
  const shown: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (shown.length === 3) more = true;
    if (!more && text(rule.host) !== "") shown.push(text(rule.host));
  }
  if (shown.length === 0) return "*";
  return more ? `${shown.join(",")} + ${rules.length - 3} more...` : shown.join(",");
}

/** Kinds kube-apiserver prints with its default convertor: name and creation time as RFC 3339. */
function createdAtPrinter(): TablePrinter {
  return {
    columns: [NAME_COLUMN, CREATED_AT_COLUMN],
    print(object) {
      return { cells: [object.metadata.name ?? "", rfc3339Utc(object.metadata.creationTimestamp)] };
    },
  };
}

function bindingPrinter(): TablePrinter {
  return {
    columns: [
      NAME_COLUMN,
      column("Role", "The role granted, as Kind/name."),
      AGE_COLUMN,
      column("Users", "Users the binding grants the role to.", { priority: 1 }),
      column("Groups", "Groups the binding grants the role to.", { priority: 1 }),
      column("ServiceAccounts", "Service accounts the binding grants the role to.", { priority: 1 }),
    ],
    print(binding, now) {
      const roleRef = fields(binding.roleRef);
      const subjects = records(binding.subjects);
      const named = (kind: string) =>
        subjects
          .filter((subject) => subject.kind === kind)
          .map((subject) =>
            kind === "ServiceAccount"
              ? `${text(subject.namespace)}/${text(subject.name)}`
              : text(subject.name),
          )
          .join(", ");
      return {
        cells: [
          binding.metadata.name ?? "",
          `${text(roleRef.kind)}/${text(roleRef.name)}`,
          ageSince(binding.metadata.creationTimestamp, now),
          named("User"),
          named("Group"),
          named("ServiceAccount"),
        ],
      };
    },
  };
}

function podTemplateCells(template: unknown): { containers: string; images: string } {
  const containers = records(fields(fields(template).spec).containers);
  return {
    containers: containers.map((container) => text(container.name)).join(","),
    images: containers.map((container) => text(container.image)).join(","),
  };
}

/** spec.replicas as the API server defaults it (1 when unset). */
function desiredReplicas(spec: Fields): number {
  return typeof spec.replicas === "number" ? whole(spec.replicas) : 1;
}

/** A LabelSelector in kubectl's `a=b,c in (d,e),!f` form; "" for an empty or absent selector. */
function labelSelectorString(selector: unknown): string {
  const requirements: [string, string][] = Object.entries(fields(fields(selector).matchLabels)).map(
    ([key, value]) => [key, `${key}=${text(value)}`],
  );
  for (const expression of records(fields(selector).matchExpressions)) {
    const key = text(expression.key);
    const values = strings(expression.values).sort().join(",");
    switch (expression.operator) {
      case "In":
        requirements.push([key, `${key} in (${values})`]);
        break;
      case "NotIn":
        requirements.push([key, `${key} notin (${values})`]);
        break;
      case "Exists":
        requirements.push([key, key]);
        break;
      case "DoesNotExist":
        requirements.push([key, `!${key}`]);
        break;
    }
  }
  return requirements
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, requirement]) => requirement)
    .join(",");
}

/** Labels as sorted `k=v` pairs; "<none>" when there are none. */
function formatLabels(labels: Fields): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((key) => `${key}=${text(labels[key])}`);
  return pairs.length > 0 ? pairs.join(",") : "<none>";
}

function rfc3339Utc(timestamp: unknown): string {
  const time = parseTimestamp(timestamp);
  // Kubernetes' zero time, which is what an unset timestamp formats as.
  if (time === undefined) return "0001-01-01T00:00:00Z";
  return new Date(Math.trunc(time / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

function conditionIsTrue(conditions: Fields[], type: string): boolean {
  return conditions.some((condition) => condition.type === type && condition.status === "True");
}

function latest(current: number | undefined, candidate: number | undefined): number | undefined {
  if (candidate === undefined) return current;
  return current === undefined || candidate > current ? candidate : current;
}

function quantityText(value: unknown): string {
  return typeof value === "number" ? String(value) : text(value);
}

function fields(value: unknown): Fields {
  return optionalFields(value) ?? {};
}

function optionalFields(value: unknown): Fields | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

function records(value: unknown): Fields[] {
  return Array.isArray(value) ? value.map(fields) : [];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function whole(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? Math.trunc(value) : 0;
}
