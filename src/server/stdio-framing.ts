// The line framing of MCP over stdio, in front of the SDK's transport, so that no input can leave a
// session mute: a message over the size limit is skipped as it streams in (never buffered whole)
// and answered with an Invalid Request error; a line that is not JSON gets a Parse error (-32700);
// a JSON-RPC message the SDK would drop silently gets Invalid Request; and a batch (a JSON array) is
// answered as the negotiated revision says: as a batch with 2024-11-05 and 2025-03-26, which allow
// them, else refused. Each error carries the request's id when it can be read, else null.
// It goes on from what was read before the SDK loaded (early-handshake.ts), leaving out the SDK's
// answers to the requests that were answered then.
import { PassThrough, Writable, type Readable } from "node:stream";
import { parseJSONRPCMessage, type JSONRPCMessage } from "@modelcontextprotocol/server";
import type { EarlyInput } from "./early-handshake.ts";

const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
/** The revisions whose JSON-RPC admits batches; later ones removed them. */
const BATCH_REVISIONS = new Set(["2024-11-05", "2025-03-26"]);

type Id = string | number;

interface Batch {
  /** Ids of the batch's requests whose answers are still to come. */
  waiting: Set<Id>;
  answers: unknown[];
}

export interface StdioFramingOptions {
  input: Readable;
  output: Writable;
  maxMessageBytes: number;
  log(message: string): void;
  /** What was read from input before this framing existed. */
  earlier?: EarlyInput;
}

export class StdioFraming {
  /** What the SDK transport reads: one well-formed JSON-RPC message per line. */
  readonly toTransport = new PassThrough();
  /** Where the SDK transport writes its messages. */
  readonly fromTransport: Writable;
  readonly #output: Writable;
  readonly #maxBytes: number;
  readonly #log: (message: string) => void;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Skipping the rest of an oversized line, up to its newline. */
  #skipping = false;
  #revision: string | undefined;
  #batches: Batch[] = [];
  /** Requests answered before the SDK loaded, whose answers from the SDK are left out. */
  #answeredIds: Id[];

  constructor(options: StdioFramingOptions) {
    this.#output = options.output;
    this.#maxBytes = options.maxMessageBytes;
    this.#log = options.log;
    this.fromTransport = new Writable({
      write: (chunk: Buffer, _encoding, done) => this.#fromTransport(chunk, done),
    });
    const { input, earlier } = options;
    this.#answeredIds = [...(earlier?.answeredIds ?? [])];
    for (const chunk of earlier?.chunks ?? []) this.#receive(chunk);
    // Input that ended before the SDK loaded ends the session once what it held is read.
    if (input.readableEnded || input.destroyed) {
      this.toTransport.end();
      return;
    }
    input.on("data", (chunk: Buffer) => this.#receive(chunk));
    input.once("end", () => this.toTransport.end());
    input.once("close", () => this.toTransport.end());
    input.resume();
  }

  #receive(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      if (!this.#skipping) {
        if (this.#pendingBytes + (end - start) > this.#maxBytes) {
          this.#skipping = true;
          this.#pending = [];
          this.#pendingBytes = 0;
        } else {
          this.#pending.push(chunk.subarray(start, end));
          this.#pendingBytes += end - start;
        }
      }
      if (newline === -1) return;
      start = newline + 1;
      if (this.#skipping) {
        this.#skipping = false;
        this.#log(`stdio: a message over ${this.#maxBytes} bytes was skipped`);
        this.#reply(errorResponse(null, INVALID_REQUEST, `message too large: over ${this.#maxBytes} bytes`));
      } else {
        const line = Buffer.concat(this.#pending).toString("utf8");
        this.#pending = [];
        this.#pendingBytes = 0;
        this.#line(line);
      }
    }
  }

  #line(line: string): void {
    if (line.trim() === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.#reply(errorResponse(null, PARSE_ERROR, "Parse error: the message is not valid JSON"));
      return;
    }
    if (Array.isArray(parsed)) return this.#batch(parsed);
    const message = checkedMessage(parsed);
    if ("error" in message) return this.#reply(message.error);
    this.#forward(message.message);
  }

  #batch(elements: unknown[]): void {
    if (elements.length === 0) {
      return this.#reply(errorResponse(null, INVALID_REQUEST, "Invalid Request: empty batch"));
    }
    if (this.#revision === undefined || !BATCH_REVISIONS.has(this.#revision)) {
      const revision = this.#revision === undefined ? "before initialize" : `in MCP ${this.#revision}`;
      return this.#reply(
        errorResponse(
          null,
          INVALID_REQUEST,
          `Invalid Request: JSON-RPC batches are not accepted ${revision}`,
        ),
      );
    }
    const batch: Batch = { waiting: new Set(), answers: [] };
    const messages: JSONRPCMessage[] = [];
    for (const element of elements) {
      const checked = checkedMessage(element);
      if ("error" in checked) {
        batch.answers.push(checked.error);
        continue;
      }
      const id = (checked.message as { id?: Id; method?: string }).id;
      if ("method" in checked.message && id !== undefined) batch.waiting.add(id);
      messages.push(checked.message);
    }
    if (batch.waiting.size > 0) this.#batches.push(batch);
    else if (batch.answers.length > 0) this.#write(JSON.stringify(batch.answers));
    for (const message of messages) this.#forward(message);
  }

  #forward(message: JSONRPCMessage): void {
    const request = message as { method?: string; params?: { protocolVersion?: unknown } };
    if (request.method === "initialize" && typeof request.params?.protocolVersion === "string") {
      this.#revision = request.params.protocolVersion;
    }
    this.toTransport.write(`${JSON.stringify(message)}\n`);
  }

  #fromTransport(chunk: Buffer, done: (error?: Error | null) => void): void {
    if (this.#answeredIds.length > 0 && this.#isEarlyAnswered(chunk)) return done();
    if (this.#batches.length > 0 && this.#collect(chunk.toString("utf8"))) return done();
    if (this.#output.write(chunk)) done();
    else this.#output.once("drain", () => done());
  }

  /** The SDK's answer to a request answered before it loaded: sent already. */
  #isEarlyAnswered(chunk: Buffer): boolean {
    const message = JSON.parse(chunk.toString("utf8")) as { id?: Id; method?: string };
    if (message.method !== undefined || message.id === undefined) return false;
    const index = this.#answeredIds.indexOf(message.id);
    if (index < 0) return false;
    this.#answeredIds.splice(index, 1);
    return true;
  }

  /** Keeps an answer that belongs to a batch; writes the batch once all its answers are in. */
  #collect(text: string): boolean {
    const message = JSON.parse(text) as { id?: Id; method?: string };
    if (message.method !== undefined || message.id === undefined) return false;
    const batch = this.#batches.find((candidate) => candidate.waiting.has(message.id as Id));
    if (!batch) return false;
    batch.waiting.delete(message.id);
    batch.answers.push(message);
    if (batch.waiting.size === 0) {
      this.#batches = this.#batches.filter((candidate) => candidate !== batch);
      this.#write(JSON.stringify(batch.answers));
    }
    return true;
  }

  #reply(response: object): void {
    this.#write(JSON.stringify(response));
  }

  #write(json: string): void {
    this.#output.write(`${json}\n`);
  }
}

/** The message, or the error answer for something that is JSON but not a JSON-RPC message. */
function checkedMessage(value: unknown): { message: JSONRPCMessage } | { error: object } {
  try {
    return { message: parseJSONRPCMessage(value) };
  } catch {
    const id = (value as { id?: unknown } | null)?.id;
    const known = typeof id === "string" || typeof id === "number" ? id : null;
    return { error: errorResponse(known, INVALID_REQUEST, "Invalid Request: not a JSON-RPC 2.0 message") };
  }
}

function errorResponse(id: Id | null, code: number, message: string): object {
  return { jsonrpc: "2.0", id, error: { code, message } };
}
