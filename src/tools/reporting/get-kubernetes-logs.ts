// get_kubernetes_logs: the tail of a pod's container logs, or of every pod of a workload, filtered by
// age and a pattern, with JSON log lines compacted and a hint toward the crashed instance's log.
import { disagreeingNames } from "../../params/renamed-parameters.ts";
import { z } from "zod";
import { containerArgument, durationArgument, nameArgument, namespaceArgument } from "../../params/bounds.ts";
import { KubeError, type Kube, type KubeObject, type LogOptions } from "../../kube/types.ts";
import { durationSeconds } from "../../params/duration.ts";
import { where } from "../../format/names.ts";
import { compileGrep, type GrepPattern } from "../../params/grep-pattern.ts";
import { defineTool, toolError } from "../tool.ts";
import { compactLogLines, groupLogEntries, splitLogLines } from "../../format/log-lines.ts";
import { WORKLOAD_KINDS, workloadPods, type WorkloadKind } from "../../kube/workload-pods.ts";

const DEFAULT_LOG_LIMIT = 100;
/** Pods of a workload whose logs are read; the others are named. */
const MAX_LOG_PODS = 5;
/** With grep, how many of the newest lines of each container are searched. */
export const GREP_SCAN_LINES = 5000;
/** A restarted container whose current log is shorter than this gets the `previous` hint. */
const SHORT_LOG_LINES = 20;
const MAX_LINE_CHARS = 2000;
const NO_PREVIOUS = "no previous instance";

export const getKubernetesLogs = defineTool({
  name: "get_kubernetes_logs",
  title: "Get Kubernetes logs",
  area: "reporting",
  description:
    "Newest log lines of a pod or of a workload's pods, per container. After a crash use previous: true. Flux controllers are Deployments in flux-system.",
  input: {
    kind: z.enum(WORKLOAD_KINDS).optional().describe("Pod (default) or a workload"),
    name: nameArgument().optional().describe("Pod or workload name"),
    namespace: namespaceArgument().optional().describe("Namespace"),
    container: containerArgument().optional().describe("Omit for all containers"),
    since: durationArgument().optional().describe("Newer than, e.g. 5m"),
    grep: z.string().min(1).optional().describe("Case-insensitive regex; keeps matching lines"),
    limit: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe(`Lines per container (default ${DEFAULT_LOG_LIMIT})`),
    previous: z.boolean().optional().describe("Read the crashed instance"),
    pod_name: nameArgument().optional().describe("Old name of name"),
    pod_namespace: namespaceArgument().optional().describe("Old name of namespace"),
    container_name: containerArgument().optional().describe("Old name of container"),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  writes: false,
  usesCluster: true,
  async handler(args, ctx) {
    const target = resolveTarget(args);
    if (typeof target === "string") return toolError(target);
    const compiled = args.grep === undefined ? undefined : compileGrep(args.grep);
    if (compiled && "error" in compiled) return toolError(compiled.error);
    const pattern = compiled;
    const query: Query = {
      limit: args.limit ?? DEFAULT_LOG_LIMIT,
      sinceSeconds: args.since === undefined ? undefined : durationSeconds(args.since),
      previous: args.previous === true,
      pattern,
    };

    const kube = await ctx.kube();
    const { kind, name, namespace, container } = target;
    const pods = await findPods(kube, kind, name, namespace);
    if (pods.length === 0) return toolError(`${kind} ${namespace}/${name} has no pods ${where(kube)}`);
    const shown = pods.slice(0, MAX_LOG_PODS);
    if (container !== undefined) {
      const lacking = shown.find((pod) => !containerNames(pod).includes(container));
      if (lacking) {
        return toolError(
          `container ${container} not found in pod ${namespace}/${lacking.metadata.name} ${where(kube)}; its containers: ${containerNames(lacking).join(", ")}`,
        );
      }
    }

    const reads = shown.flatMap((pod) =>
      containersToRead(pod, container).map((name) => ({ pod, container: name })),
    );
    const sections = await Promise.all(reads.map((read) => readSection(kube, read, query)));
    if (sections.length > 0 && sections.every((section) => section.failure !== undefined)) {
      return toolError(failureLine(sections, target, kube, query.previous));
    }
    return { text: render({ target, kube, pods, shown, sections, args, query }) };
  },
});

interface Target {
  kind: WorkloadKind;
  name: string;
  namespace: string;
  container: string | undefined;
}

interface Query {
  limit: number;
  sinceSeconds: number | undefined;
  previous: boolean;
  pattern: GrepPattern | undefined;
}

interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

interface ContainerState {
  waiting?: { reason?: string };
  running?: object;
  terminated?: { reason?: string; exitCode?: number };
}

interface Section {
  pod: KubeObject;
  container: string;
  status: ContainerStatus | undefined;
  lines: string[];
  /** How many lines (or matching entries) there are and how many are shown. */
  summary: string;
  failure?: string;
  /** The kubelet has the log of the instance before the last restart, and the current one says little. */
  previousAvailable?: boolean;
}

/** The new parameter names, or the reference's older ones; both at once must agree. */
function resolveTarget(args: {
  kind?: WorkloadKind;
  name?: string;
  namespace?: string;
  container?: string;
  pod_name?: string;
  pod_namespace?: string;
  container_name?: string;
}): Target | string {
  const disagreement = disagreeingNames([
    ["name", args.name, "pod_name", args.pod_name],
    ["namespace", args.namespace, "pod_namespace", args.pod_namespace],
    ["container", args.container, "container_name", args.container_name],
  ]);
  if (disagreement) return disagreement;
  const name = args.name ?? args.pod_name;
  const namespace = args.namespace ?? args.pod_namespace;
  if (name === undefined) return "name is required: the pod's name, or the workload's with kind";
  if (namespace === undefined) return `namespace is required: the namespace of ${name}`;
  return { kind: args.kind ?? "Pod", name, namespace, container: args.container ?? args.container_name };
}

async function findPods(
  kube: Kube,
  kind: WorkloadKind,
  name: string,
  namespace: string,
): Promise<KubeObject[]> {
  try {
    return await workloadPods(kube, kind, name, namespace);
  } catch (error) {
    if (kind === "Pod" && error instanceof KubeError && error.reason === "NotFound") {
      throw new KubeError(
        "NotFound",
        `${error.message}; for the pods of a workload give its kind too (e.g. kind Deployment)`,
        { cause: error },
      );
    }
    throw error;
  }
}

function specContainers(pod: KubeObject, field: string): string[] {
  const containers = (pod.spec as Record<string, unknown> | undefined)?.[field];
  if (!Array.isArray(containers)) return [];
  return containers.flatMap((container: { name?: unknown }) =>
    typeof container?.name === "string" ? [container.name] : [],
  );
}

/** Every container a log can be asked for: init, regular and ephemeral. */
function containerNames(pod: KubeObject): string[] {
  return ["initContainers", "containers", "ephemeralContainers"].flatMap((field) =>
    specContainers(pod, field),
  );
}

function statusesOf(pod: KubeObject): ContainerStatus[] {
  const status = pod.status as Record<string, unknown> | undefined;
  return ["initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"].flatMap((field) => {
    const statuses = status?.[field];
    return Array.isArray(statuses) ? (statuses as ContainerStatus[]) : [];
  });
}

/** The one asked for; else the regular containers, after the init containers worth reading. */
function containersToRead(pod: KubeObject, container: string | undefined): string[] {
  if (container !== undefined) return [container];
  const statuses = statusesOf(pod);
  const initWorthReading = specContainers(pod, "initContainers").filter((name) => {
    const status = statuses.find((entry) => entry.name === name);
    const terminated = status?.state?.terminated;
    return (
      status?.state?.running !== undefined ||
      (status?.restartCount ?? 0) > 0 ||
      (terminated !== undefined && terminated.exitCode !== 0)
    );
  });
  return [...initWorthReading, ...specContainers(pod, "containers")];
}

async function readSection(
  kube: Kube,
  read: { pod: KubeObject; container: string },
  query: Query,
): Promise<Section> {
  const { pod, container } = read;
  const podName = pod.metadata.name ?? "";
  const status = statusesOf(pod).find((entry) => entry.name === container);
  const options: LogOptions = {
    container,
    tailLines: query.pattern ? GREP_SCAN_LINES : query.limit + 1,
    ...(query.sinceSeconds !== undefined && { sinceSeconds: query.sinceSeconds }),
    ...(query.previous && { previous: true }),
  };
  const failed = (failure: string): Section => ({
    pod,
    container,
    status,
    lines: [],
    summary: failure,
    failure,
  });
  const restarts = status?.restartCount ?? 0;
  const noPrevious =
    restarts === 0
      ? `${NO_PREVIOUS} (0 restarts)`
      : `${NO_PREVIOUS} log: the kubelet no longer has it (${restarts} restarts; it keeps the last terminated instance's log only while the pod stays on its node)`;
  // The kubelet keeps the log of the last terminated instance only; the status says whether there is one.
  if (query.previous && status !== undefined && !status.lastState?.terminated) return failed(noPrevious);
  let text: string;
  try {
    text = await kube.podLogs(pod.metadata.namespace ?? "", podName, options);
  } catch (error) {
    if (!(error instanceof KubeError) || error.reason === "Cancelled" || error.reason === "Timeout")
      throw error;
    return failed(query.previous && error.reason === "BadRequest" ? noPrevious : error.message);
  }
  const selected = selectLines(splitLogLines(text), query);
  const previousAvailable =
    !query.previous &&
    restarts > 0 &&
    status?.lastState?.terminated !== undefined &&
    selected.lines.length < SHORT_LOG_LINES &&
    (await hasPreviousLog(kube, pod, container));
  return { pod, container, status, ...selected, previousAvailable };
}

/** Whether the kubelet still has the previous instance's log: a hint must not point at a call that fails. */
async function hasPreviousLog(kube: Kube, pod: KubeObject, container: string): Promise<boolean> {
  try {
    await kube.podLogs(pod.metadata.namespace ?? "", pod.metadata.name ?? "", {
      container,
      previous: true,
      tailLines: 1,
    });
    return true;
  } catch (error) {
    if (!(error instanceof KubeError) || error.reason === "Cancelled" || error.reason === "Timeout")
      throw error;
    return false;
  }
}

function selectLines(lines: string[], query: Query): { lines: string[]; summary: string } {
  const { limit, pattern } = query;
  if (pattern === undefined) {
    const shown = lines.slice(-limit);
    const summary =
      lines.length === 0
        ? "no lines"
        : lines.length > limit
          ? `last ${limit} lines, older ones not shown`
          : `${lines.length} line${lines.length === 1 ? "" : "s"}`;
    return { lines: shown, summary };
  }
  const entries = groupLogEntries(lines);
  const matching = entries.filter((entry) => pattern.test(entry.join("\n")));
  const shown = matching.slice(-limit);
  const scope = lines.length >= GREP_SCAN_LINES ? ` in the newest ${GREP_SCAN_LINES} lines` : "";
  const cut = matching.length > shown.length ? `, last ${shown.length} shown` : "";
  const summary =
    matching.length === 0
      ? `no line matches${scope}`
      : `${matching.length} matching entr${matching.length === 1 ? "y" : "ies"}${scope}${cut}`;
  return { lines: shown.flat(), summary };
}

interface Rendering {
  target: Target;
  kube: Kube;
  pods: KubeObject[];
  shown: KubeObject[];
  sections: Section[];
  args: { since?: string; grep?: string };
  query: Query;
}

function render({ target, kube, pods, shown, sections, args, query }: Rendering): string {
  const filters = [
    args.since && `since ${args.since}`,
    args.grep && `grep ${JSON.stringify(args.grep)}`,
    query.previous && "previous instances",
  ].filter(Boolean);
  const filterNote = filters.length > 0 ? ` (${filters.join(", ")})` : "";
  const single = sections.length === 1 ? sections[0] : undefined;
  const head = [`# ${target.kind} ${target.namespace}/${target.name} ${where(kube)}${filterNote}`];
  if (target.kind !== "Pod") {
    const others = pods.slice(shown.length).map((pod) => pod.metadata.name ?? "");
    head.push(
      others.length === 0
        ? `: ${pods.length} pod${pods.length === 1 ? "" : "s"}${pods.length > 1 ? ", newest first" : ""}`
        : `: ${pods.length} pods, the newest ${shown.length} shown; others: ${others.join(", ")}`,
    );
  }
  if (single !== undefined) head.push(`; ${sectionTitle(single, target.kind === "Pod")}`);

  const out = [head.join("")];
  for (const section of sections) {
    if (single === undefined) out.push(`## ${sectionTitle(section, target.kind === "Pod")}`);
    out.push(...compactLogLines(section.lines).map(shortenLine));
    const hint = previousHint(section, query);
    if (hint !== undefined) out.push(hint);
  }
  return `${out.join("\n")}\n`;
}

/** "pod cart-x, container cart [waiting CrashLoopBackOff, 7 restarts, last exit Error code 1]: 4 lines". */
function sectionTitle(section: Section, samePod: boolean): string {
  const subject = samePod
    ? `container ${section.container}`
    : `pod ${section.pod.metadata.name}, container ${section.container}`;
  const state = stateNote(section.status);
  return `${subject}${state ? ` [${state}]` : ""}: ${section.summary}`;
}

function stateNote(status: ContainerStatus | undefined): string {
  if (status === undefined) return "";
  const notes: string[] = [];
  const { waiting, terminated } = status.state ?? {};
  if (waiting?.reason) notes.push(`waiting ${waiting.reason}`);
  if (terminated) notes.push(`terminated ${exitNote(terminated)}`);
  const restarts = status.restartCount ?? 0;
  if (restarts > 0) notes.push(`${restarts} restart${restarts === 1 ? "" : "s"}`);
  const last = status.lastState?.terminated;
  if (restarts > 0 && last) notes.push(`last exit ${exitNote(last)}`);
  return notes.join(", ");
}

function exitNote(terminated: { reason?: string; exitCode?: number }): string {
  return [terminated.reason, terminated.exitCode === undefined ? undefined : `code ${terminated.exitCode}`]
    .filter(Boolean)
    .join(" ");
}

/** A restarted container whose current instance says little: its crash is in the previous log. */
function previousHint(section: Section, query: Query): string | undefined {
  const restarts = section.status?.restartCount ?? 0;
  if (query.previous || section.failure !== undefined || section.previousAvailable !== true) return undefined;
  return `# ${section.container} restarted ${restarts} time${restarts === 1 ? "" : "s"}: previous: true shows the log of the instance before the last restart`;
}

function shortenLine(line: string): string {
  if (line.length <= MAX_LINE_CHARS) return line;
  return `${line.slice(0, MAX_LINE_CHARS)}… [${line.length - MAX_LINE_CHARS} more characters]`;
}

function failureLine(sections: Section[], target: Target, kube: Kube, previous: boolean): string {
  const [first] = sections;
  if (sections.length === 1 && first !== undefined) {
    const pod = `${target.namespace}/${first.pod.metadata.name}`;
    return previous && first.failure?.startsWith(NO_PREVIOUS)
      ? `container ${first.container} of pod ${pod} has ${first.failure} ${where(kube)}`
      : (first.failure ?? "");
  }
  if (previous && sections.every((section) => section.failure?.startsWith(NO_PREVIOUS))) {
    return `no container of ${target.kind} ${target.namespace}/${target.name} has a previous instance ${where(kube)}: none restarted`;
  }
  return [...new Set(sections.map((section) => section.failure))].join("; ");
}
