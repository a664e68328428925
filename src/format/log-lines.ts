// Log text shaped for a model: lines grouped into entries (a line indented under another continues
// it, as stack traces do), and structured JSON lines (zap, logr: what Flux controllers write)
// rewritten as "time level Kind/namespace/name: message key=value…". Only fields that repeat what the
// line already says are dropped (controller-runtime's group, kind and object key, the reconcile id);
// every message, error, object name and revision stays.

/** A log entry: its first line and the indented lines that continue it. */
export type LogEntry = string[];

const LEVEL_KEYS = ["level", "lvl", "severity"];
const TIME_KEYS = ["ts", "time", "timestamp", "@timestamp"];
const MESSAGE_KEYS = ["msg", "message"];
/** controller-runtime fields that add nothing once the object is named: per-reconcile UUIDs, API group. */
const CONTROLLER_NOISE = ["controllerGroup", "controllerKind", "reconcileID"];
const UTC_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)Z$/;
const BARE_VALUE = /^[^\s"=]+$/;

/** Splits log text into lines (no trailing empty line, no carriage returns). */
export function splitLogLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.replace(/\r/g, "").split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** Groups lines into entries: a line starting with whitespace belongs to the entry above it. */
export function groupLogEntries(lines: readonly string[]): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const line of lines) {
    const last = entries.at(-1);
    if (last !== undefined && /^\s/.test(line) && line.trim() !== "") last.push(line);
    else entries.push([line]);
  }
  return entries;
}

/**
 * Rewrites JSON lines compactly, leaving other lines as they are. The full date is written on the
 * first line and whenever it changes; the lines in between show the time of day only.
 */
export function compactLogLines(lines: readonly string[]): string[] {
  let lastDate: string | undefined;
  return lines.map((line) => {
    const record = parseRecord(line);
    if (record === undefined) return line;
    const compacted = compactRecord(record);
    if (compacted.date !== undefined && compacted.date !== lastDate) {
      lastDate = compacted.date;
      return `${compacted.date}T${compacted.text}`;
    }
    return compacted.text;
  });
}

function parseRecord(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The compacted text, starting with the time of day when the record's time is a UTC timestamp. */
function compactRecord(record: Record<string, unknown>): { text: string; date?: string } {
  const fields = { ...record };
  const time = takeFirst(
    fields,
    TIME_KEYS,
    (value) => typeof value === "string" || typeof value === "number",
  );
  const level = takeFirst(fields, LEVEL_KEYS, (value) => typeof value === "string");
  const message = takeFirst(fields, MESSAGE_KEYS, (value) => typeof value === "string");
  const object = takeControllerObject(fields);

  const timestamp = time === undefined ? undefined : timestampOf(time);
  const utc = timestamp === undefined ? undefined : UTC_TIMESTAMP.exec(timestamp);
  const head = [
    utc ? `${utc[2]}Z` : timestamp,
    level,
    object === undefined ? undefined : `${object}:`,
    message,
  ]
    .filter((part): part is string => part !== undefined && part !== "")
    .map(String);
  const rest = Object.entries(fields).map(([key, value]) => `${key}=${renderValue(value)}`);
  const text = [...head, ...rest].join(" ");
  return utc?.[1] === undefined ? { text } : { text, date: utc[1] };
}

function takeFirst(
  fields: Record<string, unknown>,
  keys: readonly string[],
  accept: (value: unknown) => boolean,
): string | undefined {
  for (const key of keys) {
    const value = fields[key];
    if (value !== undefined && accept(value)) {
      delete fields[key];
      return typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return undefined;
}

/**
 * controller-runtime names the reconciled object four times (controller, controllerKind, a key named
 * after the kind, and top-level name/namespace): once, as Kind/namespace/name, is enough.
 */
function takeControllerObject(fields: Record<string, unknown>): string | undefined {
  const kind = fields.controllerKind;
  if (typeof kind !== "string" || kind === "") return undefined;
  const keyed = fields[kind];
  const reference = isRecord(keyed) ? objectReference(keyed) : undefined;
  const name = reference?.name ?? (typeof fields.name === "string" ? fields.name : undefined);
  if (name === undefined) return undefined;
  const namespace =
    reference?.namespace ?? (typeof fields.namespace === "string" ? fields.namespace : undefined);

  if (reference !== undefined) delete fields[kind];
  if (fields.name === name) delete fields.name;
  if (fields.namespace === namespace) delete fields.namespace;
  if (typeof fields.controller === "string" && fields.controller.toLowerCase() === kind.toLowerCase()) {
    delete fields.controller;
  }
  for (const key of CONTROLLER_NOISE) delete fields[key];
  return [kind, namespace, name].filter((part) => part !== undefined && part !== "").join("/");
}

/** An object that only names another one ({kind?, namespace?, name}), or undefined. */
function objectReference(
  value: Record<string, unknown>,
): { kind?: string; namespace?: string; name: string } | undefined {
  const keys = Object.keys(value);
  const allowed = keys.every(
    (key) => ["kind", "namespace", "name"].includes(key) && typeof value[key] === "string",
  );
  if (!allowed || typeof value.name !== "string") return undefined;
  return value as { kind?: string; namespace?: string; name: string };
}

/** zap writes `ts` as an RFC 3339 string or as epoch seconds. */
function timestampOf(time: string): string {
  const seconds = Number(time);
  if (time.trim() === "" || Number.isNaN(seconds)) return time;
  return new Date(seconds * 1000).toISOString();
}

function renderValue(value: unknown): string {
  if (typeof value === "string")
    return value !== "" && BARE_VALUE.test(value) ? value : JSON.stringify(value);
  if (isRecord(value)) {
    const reference = objectReference(value);
    if (reference !== undefined) {
      return [reference.kind, reference.namespace, reference.name].filter((part) => part).join("/");
    }
  }
  return JSON.stringify(value) ?? String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
