// Over stdio, answers the client's `initialize`, and the `tools/list` a client sends right after
// it, while the MCP SDK and the tools are still loading, from the answers the build recorded by
// asking the SDK itself (handshake-record.ts), one per serving mode and protocol version. A client
// that spawns a server per session waits for these answers before it is ready. Whatever arrives
// meanwhile is kept, the answered lines included, and handed to the stdio framing once the SDK is
// up: the SDK sees the whole session from its first byte and its own answers to those requests are
// the ones left out. Anything but a plain initialize of a recorded version, then at most the
// initialized notification and a plain tools/list, gets no early answer; the SDK answers it as it
// would. Imports nothing but Node: it runs before the rest of the server has loaded.
import type { Readable, Writable } from "node:stream";

export interface HandshakeMode {
  readOnly: boolean;
  inCluster: boolean;
  maskSecrets: boolean;
}

/** What the SDK answers an initialize with in one mode: the result, whatever version it echoes. */
export interface RecordedHandshake {
  /** Protocol versions the SDK accepts and echoes back in `protocolVersion`. */
  versions: string[];
  /** The initialize result without its `protocolVersion`, in the SDK's key order. */
  result: Record<string, unknown>;
  /** The SDK's tools/list result, as the JSON text it writes; the same for every version. */
  toolsList: string;
}

/** What the build records: per mode (handshakeModeKey) what the SDK answers, tool lists once. */
export interface HandshakeTable {
  modes: Record<string, Omit<RecordedHandshake, "toolsList"> & { toolsList: number }>;
  /** The tools/list results as JSON text, each once: modes with the same tools share one. */
  toolsLists: string[];
}

export function handshakeModeKey(mode: HandshakeMode): string {
  return `read-only=${mode.readOnly},in-cluster=${mode.inCluster},mask-secrets=${mode.maskSecrets}`;
}

// The build's recording, as JSON (scripts/build.ts); not defined when running from source.
declare const FLUX_MCP_HANDSHAKES: string | undefined;

/** The recorded answers for this mode, or undefined when there are none (running from source). */
export function recordedHandshake(mode: HandshakeMode): RecordedHandshake | undefined {
  if (typeof FLUX_MCP_HANDSHAKES === "undefined") return undefined;
  const table = JSON.parse(FLUX_MCP_HANDSHAKES) as HandshakeTable;
  const recorded = table.modes[handshakeModeKey(mode)];
  const toolsList = recorded && table.toolsLists[recorded.toolsList];
  return recorded && toolsList !== undefined ? { ...recorded, toolsList } : undefined;
}

type RequestId = string | number;

/** The input read before the SDK was up, for the stdio framing to go on with. */
export interface EarlyInput {
  chunks: Buffer[];
  /** The requests already answered, in order: the SDK's answers to them are not sent again. */
  answeredIds: RequestId[];
}

export interface EarlyHandshakeOptions {
  input: Readable;
  output: Writable;
  recorded: RecordedHandshake;
  /**
   * The most input held before the SDK loads (give or take a chunk): past it, reading stops until
   * the framing takes over, so a flood waits in the pipe; a first line this long is not waited for
   * (the framing refuses it).
   */
  maxHeldBytes: number;
}

export class EarlyHandshake {
  /**
   * Settles once the first line is in (and answered, if it is an initialize), or input ended.
   * Loading the rest waits for it: Node reads and runs imported modules without giving input a
   * turn, and a stdio client sends its initialize the moment it spawns the server.
   */
  readonly firstLine: Promise<void>;
  readonly #input: Readable;
  readonly #output: Writable;
  readonly #recorded: RecordedHandshake;
  readonly #maxHeldBytes: number;
  readonly #chunks: Buffer[] = [];
  #bytes = 0;
  #firstLineSeen = false;
  readonly #answeredIds: RequestId[] = [];
  /** After an initialize answered early, until a line other than the initialized notification. */
  #lookingForToolsList = false;
  /** Bytes of input up to which lines were looked at for a tools/list. */
  #looked = 0;
  readonly #onData = (chunk: Buffer) => this.#receive(chunk);
  readonly #onEnd = () => this.#settle();
  #settle: () => void = () => {};

  constructor(options: EarlyHandshakeOptions) {
    this.#input = options.input;
    this.#output = options.output;
    this.#recorded = options.recorded;
    this.#maxHeldBytes = options.maxHeldBytes;
    this.firstLine = new Promise((resolve) => (this.#settle = resolve));
    this.#input.on("data", this.#onData);
    for (const event of ["end", "close", "error"]) this.#input.once(event, this.#onEnd);
  }

  /** Whether the first line was an initialize, answered from the recording. */
  get answered(): boolean {
    return this.#answeredIds.length > 0;
  }

  /**
   * Gives input that has arrived one turn of the event loop: loading the server gives none, and a
   * client sends its tools/list the moment its initialize is answered.
   */
  async readArrived(): Promise<void> {
    if (!this.#lookingForToolsList) return;
    // An immediate set from a poll callback runs before the next poll; the one it sets, after it.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Stops reading and gives back everything read so far; the stream stays paused until read again. */
  handOver(): EarlyInput {
    this.#input.off("data", this.#onData);
    for (const event of ["end", "close", "error"]) this.#input.off(event, this.#onEnd);
    this.#input.pause();
    this.#settle();
    return { chunks: this.#chunks, answeredIds: this.#answeredIds };
  }

  #receive(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    const full = this.#bytes > this.#maxHeldBytes;
    if (full) this.#input.pause();
    if (this.#firstLineSeen) {
      if (this.#lookingForToolsList && chunk.includes(0x0a)) this.#lookForToolsList();
      return;
    }
    if (!chunk.includes(0x0a)) {
      if (full) {
        this.#firstLineSeen = true;
        this.#settle();
      }
      return;
    }
    this.#firstLineSeen = true;
    const all = Buffer.concat(this.#chunks);
    const newline = all.indexOf(0x0a);
    const initialize = parsed(all.subarray(0, newline));
    if (
      isPlainInitialize(initialize) &&
      this.#recorded.versions.includes(initialize.params.protocolVersion)
    ) {
      // protocolVersion first in the result, as the SDK writes it.
      const result = { protocolVersion: initialize.params.protocolVersion, ...this.#recorded.result };
      this.#write(JSON.stringify(result), initialize.id);
      this.#lookingForToolsList = true;
      this.#looked = newline + 1;
      this.#lookForToolsList();
    }
    this.#settle();
  }

  /**
   * Answers the tools/list a client sends once its initialize is answered, past the initialized
   * notification; any other line first ends the looking, so answers never pass the SDK's in order.
   */
  #lookForToolsList(): void {
    const all = Buffer.concat(this.#chunks);
    for (let newline; (newline = all.indexOf(0x0a, this.#looked)) >= 0;) {
      const message = parsed(all.subarray(this.#looked, newline));
      this.#looked = newline + 1;
      if (isPlainInitialized(message)) continue;
      if (isPlainToolsList(message)) this.#write(this.#recorded.toolsList, message.id);
      this.#lookingForToolsList = false;
      return;
    }
  }

  /** An answer as the SDK writes it: result, jsonrpc, id. */
  #write(resultJson: string, id: RequestId): void {
    this.#answeredIds.push(id);
    this.#output.write(`{"result":${resultJson},"jsonrpc":"2.0","id":${JSON.stringify(id)}}\n`);
  }
}

function parsed(line: Buffer): unknown {
  try {
    return JSON.parse(line.toString("utf8"));
  } catch {
    return undefined;
  }
}

const REQUEST_KEYS = new Set(["jsonrpc", "id", "method", "params"]);
const NOTIFICATION_KEYS = new Set(["jsonrpc", "method", "params"]);

interface PlainInitialize {
  id: RequestId;
  params: { protocolVersion: string };
}

/**
 * A JSON-RPC message of this method with only these keys: the SDK's request and notification
 * schemas are strict objects, a key beyond theirs makes the message invalid.
 */
function isMessageOf(
  message: unknown,
  method: string,
  keys: ReadonlySet<string>,
): message is Record<string, unknown> {
  return (
    isObject(message) &&
    message.jsonrpc === "2.0" &&
    message.method === method &&
    Object.keys(message).every((key) => keys.has(key))
  );
}

/** A JSON-RPC request of this method with only the keys the SDK's strict request schema allows. */
function isRequestOf(message: unknown, method: string): message is { id: RequestId; params?: unknown } {
  if (!isMessageOf(message, method, REQUEST_KEYS)) return false;
  // zod's int(), as the SDK types the id: a safe integer.
  const { id } = message;
  return typeof id === "string" || (typeof id === "number" && Number.isSafeInteger(id));
}

/** notifications/initialized with nothing but request metadata. */
function isPlainInitialized(message: unknown): boolean {
  return isMessageOf(message, "notifications/initialized", NOTIFICATION_KEYS) && isMetaOnly(message.params);
}

/** A tools/list with no cursor: the whole list, as recorded. */
function isPlainToolsList(message: unknown): message is { id: RequestId } {
  return isRequestOf(message, "tools/list") && isMetaOnly(message.params);
}

function isMetaOnly(params: unknown): boolean {
  if (params === undefined) return true;
  return (
    isObject(params) && Object.keys(params).every((key) => key === "_meta") && isRequestMeta(params._meta)
  );
}

/**
 * An initialize request the SDK is sure to accept: every field its schema knows has the type the
 * schema wants (unknown fields it ignores). A field this check does not follow (a task capability)
 * leaves the request to the SDK: the early answer is a shortcut, never a second validator's say.
 */
function isPlainInitialize(message: unknown): message is PlainInitialize {
  if (!isRequestOf(message, "initialize")) return false;
  const { params } = message;
  if (!isObject(params) || typeof params.protocolVersion !== "string") return false;
  return (
    isRequestMeta(params._meta) &&
    isClientCapabilities(params.capabilities) &&
    isImplementation(params.clientInfo)
  );
}

function isRequestMeta(meta: unknown): boolean {
  if (meta === undefined) return true;
  if (!isObject(meta) || Object.keys(meta).some((key) => key.startsWith("io.modelcontextprotocol/")))
    return false;
  const token = meta.progressToken;
  return token === undefined || typeof token === "string" || Number.isSafeInteger(token);
}

function isClientCapabilities(capabilities: unknown): boolean {
  if (!isObject(capabilities) || capabilities.tasks !== undefined) return false;
  const { experimental, extensions, sampling, elicitation, roots } = capabilities;
  return (
    optional(experimental, isRecordOfObjects) &&
    optional(extensions, isRecordOfObjects) &&
    optional(
      sampling,
      (value) => isObject(value) && optional(value.context, isObject) && optional(value.tools, isObject),
    ) &&
    optional(
      elicitation,
      (value) =>
        isObject(value) &&
        optional(value.form, (form) => isObject(form) && optional(form.applyDefaults, isBoolean)) &&
        optional(value.url, isObject),
    ) &&
    optional(roots, (value) => isObject(value) && optional(value.listChanged, isBoolean))
  );
}

function isImplementation(client: unknown): boolean {
  return (
    isObject(client) &&
    typeof client.name === "string" &&
    typeof client.version === "string" &&
    optional(client.title, isString) &&
    optional(client.websiteUrl, isString) &&
    optional(client.description, isString) &&
    optional(client.icons, (icons) => Array.isArray(icons) && icons.every(isIcon))
  );
}

function isIcon(icon: unknown): boolean {
  return (
    isObject(icon) &&
    typeof icon.src === "string" &&
    optional(icon.mimeType, isString) &&
    optional(icon.sizes, (sizes) => Array.isArray(sizes) && sizes.every(isString)) &&
    optional(icon.theme, (theme) => theme === "light" || theme === "dark")
  );
}

function optional(value: unknown, check: (value: unknown) => boolean): boolean {
  return value === undefined || check(value);
}

function isRecordOfObjects(value: unknown): boolean {
  return isObject(value) && Object.values(value).every(isObject);
}

function isString(value: unknown): boolean {
  return typeof value === "string";
}

function isBoolean(value: unknown): boolean {
  return typeof value === "boolean";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
