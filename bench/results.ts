// The shape of bench/results.json.
import type { QuestionId } from "./questions.ts";
import type { ToolCall } from "./servers/server.ts";

export interface QuestionResult {
  calls: ToolCall[];
  ok: boolean;
  error?: string;
  /** Time in the question's tool calls (pauses between calls excluded), one entry per repetition; the first is cold. */
  latencyMs: number[];
  medianMs?: number;
  /** Tool calls made, pages included. */
  requests: number;
  outputTokens: number;
  outputChars: number;
  facts: { found: string[]; missing: string[] };
}

export interface HandshakeResult {
  initializeMs: number[];
  toolsListMs: number[];
  medianInitializeMs: number;
  medianToolsListMs: number;
  /** RSS right after tools/list answered, one entry per spawn. */
  rssKiB: number[];
  medianRssKiB: number;
}

export interface ServerResult {
  id: string;
  label: string;
  /** Measured for the handshake only, as a yardstick: it answers no question. */
  reference?: boolean;
  /** Why it did not run, when it did not. */
  skipped?: string;
  /** What stopped it midway, when something did. */
  error?: string;
  handshake?: HandshakeResult;
  toolsList?: { tools: number; tokens: number };
  memory?: {
    afterHandshakeKiB: number;
    afterHeaviestKiB?: number;
    peakKiB?: number;
    heaviestQuestion: QuestionId;
  };
  questions: Partial<Record<QuestionId, QuestionResult>>;
}

export interface FloorResult {
  context: string;
  requests: string[];
  latencyMs: number[];
  medianMs: number;
  bytes: number;
  tokens: number;
  error?: string;
}

export interface BenchResults {
  generatedAt: string;
  command: string;
  durationSeconds: number;
  environment: { node: string; platform: string; cpus: number; cpuModel: string };
  /** Node alone, spawned until it answers a line on stdin, per spawn. */
  nodeStart: { ms: number[]; medianMs: number };
  tokenizer: string;
  client: string;
  fleet: { namespaces: number; fluxObjects: number; kustomizations: number; apiObjects: number };
  servers: ServerResult[];
  floor: Partial<Record<QuestionId, FloorResult>>;
  /** ours / peer for each number, pair by pair: below 1 means flux-mcp needs less. */
  ratios: Record<string, Record<string, number | undefined>>;
}
