// Over stdio, answers the client's `initialize` while the MCP SDK and the tools are still loading,
// from the answers the build recorded by asking the SDK itself (handshake-record.ts), one per
// serving mode and protocol version. A client that spawns a server per session waits for this
// answer before it sends anything else. Whatever arrives meanwhile is kept, the initialize line
// included, and handed to the stdio framing once the SDK is up: the SDK sees the whole session
// from its first byte and its own answer to that initialize is the one left out. Anything but a
// plain initialize of a recorded version gets no early answer; the SDK answers it as it would.
// Imports nothing but Node: it runs before the rest of the server has loaded.
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
}

/** Per mode (handshakeModeKey), what the SDK answers. */
export type HandshakeTable = Record<string, RecordedHandshake>;

export function handshakeModeKey(mode: HandshakeMode): string {
  return `read-only=${mode.readOnly},in-cluster=${mode.inCluster},mask-secrets=${mode.maskSecrets}`;
}

// The build's recording, as JSON (scripts/build.ts); not defined when running from source.
declare const FLUX_MCP_HANDSHAKES: string | undefined;

/** The recorded answers for this mode, or undefined when there are none (running from source). */
export function recordedHandshake(mode: HandshakeMode): RecordedHandshake | undefined {
  if (typeof FLUX_MCP_HANDSHAKES === "undefined") return undefined;
  const table = JSON.parse(FLUX_MCP_HANDSHAKES) as HandshakeTable;
  return table[handshakeModeKey(mode)];
}

type RequestId = string | number;

/** The input read before the SDK was up, for the stdio framing to go on with. */
export interface EarlyInput {
  chunks: Buffer[];
  /** The initialize request already answered: the SDK's answer to it is not sent again. */
  answeredId?: RequestId;
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
  #answeredId: RequestId | undefined;
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
    return this.#answeredId !== undefined;
  }

  /** Stops reading and gives back everything read so far; the stream stays paused until read again. */
  handOver(): EarlyInput {
    this.#input.off("data", this.#onData);
    for (const event of ["end", "close", "error"]) this.#input.off(event, this.#onEnd);
    this.#input.pause();
    this.#settle();
    return { chunks: this.#chunks, ...(this.#answeredId !== undefined && { answeredId: this.#answeredId }) };
  }

  #receive(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    const full = this.#bytes > this.#maxHeldBytes;
    if (full) this.#input.pause();
    if (this.#firstLineSeen) return;
    if (!chunk.includes(0x0a)) {
      if (full) {
        this.#firstLineSeen = true;
        this.#settle();
      }
      return;
    }
    this.#firstLineSeen = true;
    const all = Buffer.concat(this.#chunks);
    const answer = this.#answer(all.subarray(0, all.indexOf(0x0a)).toString("utf8"));
    if (answer !== undefined) {
      this.#answeredId = answer.id;
      this.#output.write(`${JSON.stringify(answer)}\n`);
    }
    this.#settle();
  }

  /** The answer to a plain initialize of a recorded version; undefined for anything else. */
  #answer(line: string): { result: Record<string, unknown>; jsonrpc: "2.0"; id: RequestId } | undefined {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (!isPlainInitialize(message)) return undefined;
    const version = message.params.protocolVersion;
    if (!this.#recorded.versions.includes(version)) return undefined;
    // The SDK's key order: result, jsonrpc, id; protocolVersion first in the result.
    return { result: { protocolVersion: version, ...this.#recorded.result }, jsonrpc: "2.0", id: message.id };
  }
}

const REQUEST_KEYS = new Set(["jsonrpc", "id", "method", "params"]);

interface PlainInitialize {
  id: RequestId;
  params: { protocolVersion: string };
}

/**
 * An initialize request the SDK is sure to accept: every field its schema knows has the type the
 * schema wants (unknown fields it ignores). A field this check does not follow (a task capability)
 * leaves the request to the SDK: the early answer is a shortcut, never a second validator's say.
 */
function isPlainInitialize(message: unknown): message is PlainInitialize {
  if (!isObject(message) || message.jsonrpc !== "2.0" || message.method !== "initialize") return false;
  // The SDK's JSON-RPC request is a strict object: a key beyond these makes it an invalid request.
  if (Object.keys(message).some((key) => !REQUEST_KEYS.has(key))) return false;
  const { id, params } = message;
  // zod's int(), as the SDK types the id: a safe integer.
  if (typeof id !== "string" && !(typeof id === "number" && Number.isSafeInteger(id))) return false;
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
