// The shape of bench/results.json: every run with every measurement, round by round, and a summary
// across the runs. Arrays measured per round are index-aligned across servers (entry i of every
// server is round i), so ratios are taken pair by pair within a round; a failed measurement is null.
import { writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import type { Spread } from "./numbers.ts";
import type { QuestionId } from "./questions.ts";
import type { ToolCall } from "./servers/server.ts";

/** null where that round's measurement failed. */
export type Series = (number | null)[];

export interface QuestionResult {
  calls: ToolCall[];
  ok: boolean;
  error?: string;
  /** Time in the question's tool calls (pauses excluded), one entry per round. */
  latencyMs: Series;
  latency: Spread;
  /** Tool calls made, pages included (first round). */
  requests: number;
  outputTokens: number;
  outputChars: number;
  facts: { found: string[]; missing: string[] };
}

/** Fresh processes, one per round: spawn → initialize → tools/list → the first tool call, sent at once. */
export interface ColdStartResult {
  firstCall: ToolCall;
  initializeMs: Series;
  toolsListMs: Series;
  /** The first tool call alone, sent as soon as tools/list answered (no think time: nothing to hide behind). */
  firstCallMs: Series;
  /** Spawn → the first tool call answered. */
  firstAnswerMs: Series;
  /** RSS right after the first tool answer. */
  rssKiB: Series;
  errors: string[];
}

export interface ServerResult {
  id: string;
  label: string;
  /** Measured for the cold start only, as a yardstick: it answers no question. */
  reference?: boolean;
  /** Why it did not run, when it did not. */
  skipped?: string;
  /** What stopped its question session, when something did. */
  error?: string;
  coldStart?: ColdStartResult;
  toolsList?: { tools: number; tokens: number };
  memory?: { afterHandshakeKiB: number; afterRoundsKiB?: number; peakKiB?: number };
  questions: Partial<Record<QuestionId, QuestionResult>>;
}

export interface FloorResult {
  context: string;
  requests: string[];
  /** One entry per round, asked in turn with the servers. */
  latencyMs: Series;
  latency: Spread;
  bytes: number;
  tokens: number;
  error?: string;
}

export interface RunResult {
  run: number;
  durationSeconds: number;
  /** Node alone, spawned until it answers a line on stdin, per spawn. */
  nodeStartMs: number[];
  servers: ServerResult[];
  floor: Partial<Record<QuestionId, FloorResult>>;
}

/** One number over every run: its spread over all rounds of all runs, and each run's median. */
export interface Pooled {
  pooled: Spread;
  runMedians: number[];
}

export interface Summary {
  /** Per server id, per cold-start measure (initialize, toolsList, firstCall, firstAnswer, rss). */
  coldStart: Record<string, Record<string, Pooled>>;
  /** Per server id, per question: latency pooled, tokens and facts of the first run. */
  questions: Record<
    string,
    Partial<
      Record<
        QuestionId,
        { latency: Pooled; outputTokens: number; facts: string; requests: number; ok: boolean }
      >
    >
  >;
  floor: Partial<Record<QuestionId, { latency: Pooled; tokens: number; requests: number }>>;
  /** `flux-mcp/<other>` → measure → ratio taken round by round (same round, same question), pooled over runs. */
  ratios: Record<string, Record<string, Pooled>>;
  /** `flux-mcp/<other>` → tools/list tokens and answer tokens (first run: answers do not vary). */
  tokenRatios: Record<string, Record<string, number | undefined>>;
}

export interface BenchResults {
  generatedAt: string;
  command: string;
  options: { runs: number; spawns: number; rounds: number; quick: boolean };
  durationSeconds: number;
  environment: MachineEnvironment;
  tokenizer: string;
  client: string;
  /** The raw API floor's two clients on the largest list: the faster one asks the floor. */
  floorClient: FloorClientCheck;
  fleet: {
    namespaces: number;
    fluxObjects: number;
    kustomizations: number;
    apiObjects: number;
    buildSeconds: number;
  };
  runs: RunResult[];
  summary: Summary;
  /** Before/after figures of the changes made for the bench's findings (bench/changes.json). */
  changes: Change[];
  /** flux-mcp alone on a fleet of tens of thousands of Flux objects (bench/scale.ts). */
  scale?: ScaleResults;
}

export interface ScaleResults {
  generatedAt: string;
  command: string;
  options: { fluxObjects: number; runs: number; rounds: number };
  environment: BenchResults["environment"];
  fleet: { fluxObjects: number; apiObjects: number; buildSeconds: number };
  floorClient: FloorClientCheck;
  calls: ScaleCall[];
}

/** One tool call measured in a fresh server per run, asked in turn with its raw API floor. */
export interface ScaleCall {
  id: string;
  tool: string;
  args: Record<string, unknown>;
  /** The raw API requests for the same data, asked at once. */
  floor: string[];
  /** Answer size and tool calls (pages followed) of the first round. */
  outputChars: number;
  pages: number;
  /** One entry per round of every run, in order; null where the call failed. */
  ms: Series;
  floorMs: Series;
  /**
   * The same raw requests from Node's https client (keep-alive, in a worker thread), each body
   * JSON.parsed: what any server that reads the lists' fields does at least, asked in the same
   * rounds. Where it is the faster of the two in a round (many small requests at once, where curl
   * pays for connections of its own), that round's ratio is taken over it instead.
   */
  parsedFloorMs: Series;
  /** Peak resident memory of the server process during the call (VmHWM, reset before it). */
  peakRssKiB: Series;
  /**
   * Longest time the server's event loop went without a turn during the call, in the main thread's
   * CPU time (bench/loop-probe.ts): the block its own code and garbage collection caused.
   */
  longestBlockMs: Series;
  /** The same on the clock: the block plus any time the OS ran other processes meanwhile. */
  longestDelayMs: Series;
  errors: string[];
  summary: {
    ms: Spread;
    floorMs: Spread;
    parsedFloorMs: Spread;
    /** The call's time over the lower of the two floors of its round, paired per round. */
    ratio: Pooled;
    /** The call's time over the parsed floor's, paired per round. */
    ratioToParsed: Pooled;
    /** The parsed floor over the floor, paired per round: what reading the lists alone costs Node. */
    parsedOverFloor: Pooled;
    peakRssMiB: Pooled;
    longestBlockMs: Pooled;
    longestDelayMs: Pooled;
  };
}

export interface Change {
  /** What was changed, in a few words. */
  change: string;
  measure: string;
  before: string;
  after: string;
  /** The command or the bench rows that measured it. */
  how: string;
}

export interface FloorClientCheck {
  path: string;
  bytes: number;
  /** Node https, keep-alive, in a worker thread. */
  nodeMs?: Spread;
  /** curl's own time for the transfer, its process start and connection set-up excluded. */
  curlMs?: Spread;
  /** The clients that could not be used, and why. */
  errors?: string[];
  /** Which client the floor rows used. */
  used: "node" | "curl";
}

/** results.json as the repository's Prettier writes it. */
export async function writeResults(results: BenchResults, path: string): Promise<void> {
  // The repository's settings wherever the file goes (--out may be a temporary directory).
  const options = (await resolveConfig(fileURLToPath(new URL("results.json", import.meta.url)))) ?? {};
  await writeFile(path, await format(JSON.stringify(results), { ...options, parser: "json" }));
}

export interface MachineEnvironment {
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  loadAverage: number[];
}

/** The machine a run was measured on, and how busy it was at the end. */
export function machineEnvironment(): MachineEnvironment {
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
  };
}
