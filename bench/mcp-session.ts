// One MCP server process driven over stdio by the official SDK client: timed handshake, tool
// calls with a deadline each, the process's resident memory, and a kill that always happens.
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { Launch, ToolCall } from "./servers/server.ts";

const HANDSHAKE_TIMEOUT_MS = 30_000;
/**
 * A model takes seconds between two tool calls; back-to-back calls would instead measure client-side
 * rate limiters (client-go's default of 5 requests/s with a burst of 10 makes every call of the Go
 * peer wait 200 ms once the burst is spent). The pause is not counted in any latency.
 */
export const THINK_TIME_MS = 200;
const MAX_PAGES = 100;
const STDERR_KEPT = 4000;

/** Every server process started and not yet known to be gone, killed on the way out whatever happens. */
const running = new Set<number>();

export function killAllServers(): void {
  for (const pid of running) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  running.clear();
}

export interface Memory {
  /** VmRSS of /proc/PID/status, in KiB. */
  rssKiB: number;
  /** VmHWM: the highest resident set the process has had, in KiB. */
  peakKiB: number;
}

export function memoryOf(pid: number): Memory | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const value = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rssKiB: value("VmRSS"), peakKiB: value("VmHWM") };
}

export interface CallOutcome {
  ok: boolean;
  /** What the model would read: the text of every content item, pages joined. */
  text: string;
  error?: string;
  pages: number;
  /** Time spent in the calls, pages included, pauses between pages not. */
  ms: number;
}

export class McpSession {
  readonly client: Client;
  readonly pid: number;
  readonly tools: Tool[];
  /** Spawn to `initialize` answered, and to `tools/list` answered. */
  readonly initializeMs: number;
  readonly toolsListMs: number;
  /** performance.now() when the process was spawned. */
  readonly startedAt: number;
  readonly #stderr: () => string;

  private constructor(fields: {
    client: Client;
    pid: number;
    tools: Tool[];
    initializeMs: number;
    toolsListMs: number;
    startedAt: number;
    stderr: () => string;
  }) {
    this.client = fields.client;
    this.pid = fields.pid;
    this.tools = fields.tools;
    this.initializeMs = fields.initializeMs;
    this.toolsListMs = fields.toolsListMs;
    this.startedAt = fields.startedAt;
    this.#stderr = fields.stderr;
  }

  static async open(launch: Launch): Promise<McpSession> {
    const transport = new StdioClientTransport({ ...launch, stderr: "pipe" });
    let stderr = "";
    transport.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_KEPT);
    });
    const client = new Client({ name: "flux-mcp-bench", version: "1.0.0" });
    const started = performance.now();
    try {
      await client.connect(transport, { timeout: HANDSHAKE_TIMEOUT_MS });
      const initializeMs = performance.now() - started;
      if (transport.pid !== null) running.add(transport.pid);
      const { tools } = await client.listTools(undefined, { timeout: HANDSHAKE_TIMEOUT_MS });
      const toolsListMs = performance.now() - started;
      const pid = transport.pid ?? -1;
      return new McpSession({
        client,
        pid,
        tools,
        initializeMs,
        toolsListMs,
        startedAt: started,
        stderr: () => stderr,
      });
    } catch (error) {
      const pid = transport.pid;
      await transport.close().catch(() => undefined);
      if (pid !== null) forceKill(pid);
      throw new Error(`${describe(error)}${stderr ? `; stderr: ${lastLine(stderr)}` : ""}`, { cause: error });
    }
  }

  hasTool(name: string): boolean {
    return this.tools.some((tool) => tool.name === name);
  }

  /** Runs one call (and its follow-up pages), never throwing: failures come back as outcomes. */
  async call(call: ToolCall, timeoutMs: number): Promise<CallOutcome> {
    const texts: string[] = [];
    let args = call.args;
    let ms = 0;
    const outcome = (page: number, error?: string): CallOutcome => ({
      ok: error === undefined,
      text: texts.join("\n"),
      ...(error !== undefined && { error }),
      pages: page,
      ms,
    });
    for (let page = 1; page <= MAX_PAGES; page++) {
      if (page > 1) await pause();
      const started = performance.now();
      let text: string;
      try {
        const result = await this.client.callTool({ name: call.tool, arguments: args }, undefined, {
          timeout: timeoutMs,
        });
        ms += performance.now() - started;
        text = textOf(result.content);
        texts.push(text);
        if (result.isError) return outcome(page, firstLine(text));
      } catch (error) {
        ms += performance.now() - started;
        const stderr = this.#stderr();
        return outcome(page, `${describe(error)}${stderr ? `; stderr: ${lastLine(stderr)}` : ""}`);
      }
      const next = call.followContinue ? /continue="([^"]+)"/.exec(text)?.[1] : undefined;
      if (!next) return outcome(page);
      args = { ...call.args, continue: next };
    }
    return outcome(MAX_PAGES, `still paging after ${MAX_PAGES} pages`);
  }

  /** The last few thousand characters the process wrote to stderr. */
  stderrTail(): string {
    return this.#stderr();
  }

  memory(): Memory | undefined {
    return memoryOf(this.pid);
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => undefined);
    forceKill(this.pid);
  }
}

export function pause(ms = THINK_TIME_MS): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function forceKill(pid: number): void {
  running.delete(pid);
  try {
    process.kill(pid, 0);
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

function textOf(content: unknown): string {
  if (!Array.isArray(content)) return "";
  return content
    .map((item: { type?: string; text?: string }) =>
      item.type === "text" ? (item.text ?? "") : JSON.stringify(item),
    )
    .join("\n");
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "").slice(0, 300);
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return (lines[lines.length - 1] ?? "").slice(0, 300);
}
