// The pods/log subresource over stored logs. In a real cluster kube-apiserver checks the options and
// the container against the pod, then the kubelet reads the container's log file; both halves are
// played here, with their error wording. Logs are stored as `kubectl logs --timestamps` prints them,
// in PodLogs documents:
//
//   apiVersion: apiserver.flux-mcp.dev/v1alpha1
//   kind: PodLogs
//   metadata: {namespace: flux-system, name: <pod name>}
//   containers:
//     - name: manager
//       log: |           # "<RFC3339(Nano) timestamp> <line>" per line
//       previous: |      # optional: the log of the previous, terminated container
import { Buffer } from "node:buffer";
import { z } from "zod";
import type { KubeObject } from "./types.ts";

export interface PodLogs {
  namespace: string;
  name: string;
  containers: Map<string, { log: string; previous?: string }>;
}

export interface LogQuery {
  container?: string;
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** RFC3339; like kube-apiserver, only whole seconds count. */
  sinceTime?: string;
  timestamps?: boolean;
  limitBytes?: number;
  /** The clock sinceSeconds counts back from. */
  now: Date;
}

/** A request kube-apiserver would refuse: 400 BadRequest, 404 NotFound, 422 Invalid (bad options). */
export class LogError extends Error {
  override name = "LogError";
  readonly code: 400 | 404 | 422;

  constructor(message: string, code: 400 | 404 | 422) {
    super(message);
    this.code = code;
  }
}

const podLogsSchema = z.object({
  apiVersion: z.literal("apiserver.flux-mcp.dev/v1alpha1"),
  kind: z.literal("PodLogs"),
  metadata: z.object({ namespace: z.string().min(1), name: z.string().min(1) }),
  containers: z.array(
    // Strict, so that a misspelt `previous` is reported rather than silently ignored.
    z.strictObject({ name: z.string().min(1), log: z.string().default(""), previous: z.string().optional() }),
  ),
});

export function parsePodLogs(document: KubeObject): PodLogs {
  const pod = `${document.metadata?.namespace ?? "<no namespace>"}/${document.metadata?.name ?? "<no name>"}`;
  const invalid = (problem: string) => new Error(`invalid PodLogs ${pod}: ${problem}`);
  const parsed = podLogsSchema.safeParse(document);
  if (!parsed.success) {
    throw invalid(
      parsed.error.issues
        .map((issue) => `${issue.path.join(".") || "document"}: ${issue.message}`)
        .join("; "),
    );
  }
  const containers = new Map<string, { log: string; previous?: string }>();
  for (const { name, log, previous } of parsed.data.containers) {
    if (containers.has(name)) throw invalid(`container "${name}" is listed twice`);
    for (const [field, text] of Object.entries({ log, previous: previous ?? "" })) {
      const bad = firstMalformedLine(text);
      if (bad !== undefined) {
        throw invalid(
          `container "${name}" ${field} line ${bad.number} has no RFC3339 timestamp: ${bad.line}`,
        );
      }
    }
    containers.set(name, previous === undefined ? { log } : { log, previous });
  }
  return { namespace: parsed.data.metadata.namespace, name: parsed.data.metadata.name, containers };
}

export function readPodLog(pod: KubeObject, logs: PodLogs | undefined, query: LogQuery): string {
  const podName = pod.metadata.name ?? "";
  validateOptions(podName, query);
  const container = resolveContainer(pod, query.container);
  const stored = logs?.containers.get(container);
  let text = stored?.log ?? "";
  if (query.previous) {
    if (stored?.previous === undefined) {
      throw new LogError(`previous terminated container "${container}" in pod "${podName}" not found`, 400);
    }
    text = stored.previous;
  }

  // The kubelet seeks to the last tailLines lines first, then skips those older than the since time.
  let lines = logLines(text);
  if (query.tailLines !== undefined) lines = query.tailLines === 0 ? [] : lines.slice(-query.tailLines);
  const since = sinceMillis(query);
  if (since !== undefined) lines = lines.filter((line) => line.millis >= since);
  const output = lines
    .map((line) => `${query.timestamps ? `${line.timestamp} ` : ""}${line.text}\n`)
    .join("");
  return query.limitBytes === undefined ? output : truncateUtf8(output, query.limitBytes);
}

/** kube-apiserver's ValidatePodLogOptions, answered with 422 like any invalid object. */
function validateOptions(podName: string, query: LogQuery): void {
  const errors: string[] = [];
  if (query.tailLines !== undefined && query.tailLines < 0) {
    errors.push(`tailLines: Invalid value: ${query.tailLines}: must be greater than or equal to 0`);
  }
  if (query.limitBytes !== undefined && query.limitBytes < 1) {
    errors.push(`limitBytes: Invalid value: ${query.limitBytes}: must be greater than 0`);
  }
  if (query.sinceSeconds !== undefined && query.sinceTime !== undefined) {
    errors.push(": Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified");
  } else if (query.sinceSeconds !== undefined && query.sinceSeconds < 1) {
    errors.push(`sinceSeconds: Invalid value: ${query.sinceSeconds}: must be greater than 0`);
  }
  if (errors.length > 0) {
    const detail = errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`;
    throw new LogError(`PodLogOptions "${podName}" is invalid: ${detail}`, 422);
  }
}

/** Only containers of the pod's spec are valid; without a name, only a single-container pod answers. */
function resolveContainer(pod: KubeObject, requested: string | undefined): string {
  const podName = pod.metadata.name ?? "";
  const names = (field: string): string[] => {
    const containers: unknown = (pod.spec as Record<string, unknown> | undefined)?.[field];
    if (!Array.isArray(containers)) return [];
    return containers.map((container: unknown) => {
      const name = (container as { name?: unknown } | null)?.name;
      return typeof name === "string" ? name : "";
    });
  };
  const regular = names("containers");
  // kube-apiserver lists init, regular and ephemeral containers in that order.
  const all = [...names("initContainers"), ...regular, ...names("ephemeralContainers")];
  if (requested) {
    if (!all.includes(requested))
      throw new LogError(`container ${requested} is not valid for pod ${podName}`, 400);
    return requested;
  }
  const [only] = regular;
  if (regular.length === 1 && only !== undefined) return only;
  if (regular.length === 0) throw new LogError(`a container name must be specified for pod ${podName}`, 400);
  throw new LogError(
    `a container name must be specified for pod ${podName}, choose one of: [${all.join(" ")}]`,
    400,
  );
}

interface LogLine {
  /** As stored, e.g. 2026-08-20T09:58:01.123456789Z. */
  timestamp: string;
  millis: number;
  text: string;
}

const LOG_LINE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))(?: ([^\n]*))?$/;

/** Milliseconds since the epoch, sub-millisecond digits dropped (enough to compare with a since time). */
function rfc3339Millis(timestamp: string): number {
  return Date.parse(
    timestamp.replace(/\.(\d+)/, (_, fraction: string) => `.${fraction.padEnd(3, "0").slice(0, 3)}`),
  );
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

function parseLine(line: string): LogLine | undefined {
  const match = LOG_LINE.exec(line);
  const timestamp = match?.[1];
  if (timestamp === undefined) return undefined;
  const millis = rfc3339Millis(timestamp);
  return Number.isNaN(millis) ? undefined : { timestamp, millis, text: match?.[2] ?? "" };
}

function firstMalformedLine(text: string): { number: number; line: string } | undefined {
  const lines = splitLines(text);
  const index = lines.findIndex((line) => parseLine(line) === undefined);
  return index < 0 ? undefined : { number: index + 1, line: lines[index] ?? "" };
}

function logLines(text: string): LogLine[] {
  return splitLines(text).flatMap((line) => parseLine(line) ?? []);
}

function sinceMillis(query: LogQuery): number | undefined {
  if (query.sinceSeconds !== undefined) return query.now.getTime() - query.sinceSeconds * 1000;
  if (query.sinceTime === undefined) return undefined;
  const millis = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i.test(query.sinceTime)
    ? rfc3339Millis(query.sinceTime)
    : Number.NaN;
  if (Number.isNaN(millis)) {
    throw new LogError(`invalid sinceTime ${JSON.stringify(query.sinceTime)}: not an RFC3339 timestamp`, 400);
  }
  return Math.floor(millis / 1000) * 1000;
}

/** limitBytes counts bytes; the cut is moved back to a character boundary so no character is split. */
function truncateUtf8(text: string, limit: number): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= limit) return text;
  let cut = limit;
  while (cut > 0 && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut--;
  return bytes.subarray(0, cut).toString("utf8");
}
