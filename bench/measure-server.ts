// Measures servers in turns. A cold start spawns a fresh process: initialize, tools/list, then the
// first tool call at once. A question session keeps one process per server and asks it one question
// per turn; the caller rotates who goes first, so a burst of machine noise does not land on one
// server. Failures are recorded, never thrown: a peer that breaks does not stop the run.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { McpSession, pause } from "./mcp-session.ts";
import { roundMs, spread, tokens } from "./numbers.ts";
import type { Question } from "./questions.ts";
import type { ColdStartResult, QuestionResult, ServerResult } from "./results.ts";
import {
  coldStartCall,
  type HandshakeReference,
  type Launch,
  type ServerUnderTest,
} from "./servers/server.ts";

const CALL_TIMEOUT_MS = 60_000;
const FLEET_CALL_TIMEOUT_MS = 120_000;

export interface Target<Server extends HandshakeReference = ServerUnderTest> {
  server: Server;
  launch: Launch;
  result: ServerResult;
  /** Where to write each answer's text (first round), for reading what a server said. */
  dumpDirectory?: string;
}

/** One cold start (a fresh process, killed afterwards), appended to the server's series. */
export async function measureColdStart(target: Target<HandshakeReference>): Promise<void> {
  const { result, server } = target;
  if (result.skipped) return;
  const firstCall = coldStartCall(server);
  if (!firstCall) throw new Error(`${server.id} has no first call`);
  const cold = (result.coldStart ??= emptyColdStart(firstCall));
  let session: McpSession | undefined;
  const values = { initialize: NaN, toolsList: NaN, firstCall: NaN, firstAnswer: NaN, rss: NaN };
  try {
    session = await McpSession.open(target.launch);
    values.initialize = session.initializeMs;
    values.toolsList = session.toolsListMs;
    const outcome = await session.call(firstCall, CALL_TIMEOUT_MS);
    if (!outcome.ok) throw new Error(`first call ${firstCall.tool}: ${outcome.error}`);
    values.firstCall = outcome.ms;
    values.firstAnswer = performance.now() - session.startedAt;
    // After the first answer, not after tools/list: a server that answers tools/list before it has
    // loaded (flux-mcp over stdio) would look lighter than it is.
    values.rss = session.memory()?.rssKiB ?? NaN;
  } catch (error) {
    cold.errors.push((error as Error).message);
  } finally {
    await session?.close();
  }
  const entry = (value: number) => (Number.isFinite(value) ? roundMs(value) : null);
  cold.initializeMs.push(entry(values.initialize));
  cold.toolsListMs.push(entry(values.toolsList));
  cold.firstCallMs.push(entry(values.firstCall));
  cold.firstAnswerMs.push(entry(values.firstAnswer));
  cold.rssKiB.push(Number.isFinite(values.rss) ? values.rss : null);
}

function emptyColdStart(firstCall: ColdStartResult["firstCall"]): ColdStartResult {
  return {
    firstCall,
    initializeMs: [],
    toolsListMs: [],
    firstCallMs: [],
    firstAnswerMs: [],
    rssKiB: [],
    errors: [],
  };
}

/** One long-lived process answering questions, one per turn. */
export class QuestionSession {
  readonly target: Target;
  readonly #session: McpSession | undefined;

  private constructor(target: Target, session: McpSession | undefined) {
    this.target = target;
    this.#session = session;
  }

  static async open(target: Target): Promise<QuestionSession> {
    const { result } = target;
    if (result.skipped) return new QuestionSession(target, undefined);
    try {
      const session = await McpSession.open(target.launch);
      result.toolsList = { tools: session.tools.length, tokens: tokens(JSON.stringify(session.tools)) };
      result.memory = { afterHandshakeKiB: session.memory()?.rssKiB ?? NaN };
      return new QuestionSession(target, session);
    } catch (error) {
      result.error = `session failed: ${(error as Error).message}`;
      return new QuestionSession(target, undefined);
    }
  }

  /** Asks `question` once, as the `round`th time; the first round also keeps tokens and facts. */
  async ask(question: Question, round: number): Promise<void> {
    const { result: serverResult, server } = this.target;
    const session = this.#session;
    if (!session) return;
    const calls = server.calls[question.id];
    const result = (serverResult.questions[question.id] ??= emptyQuestion(question, calls));
    const missingTools = calls.filter((call) => !session.hasTool(call.tool)).map((call) => call.tool);
    if (missingTools.length > 0) {
      result.ok = false;
      result.error = `not in tools/list: ${[...new Set(missingTools)].join(", ")}`;
      return;
    }
    // A broken answer is measured once: repeating a timeout would only stretch the run.
    if (!result.ok) return;
    const timeout = question.context === "fleet" ? FLEET_CALL_TIMEOUT_MS : CALL_TIMEOUT_MS;
    const texts: string[] = [];
    const errors: string[] = [];
    let requests = 0;
    let ms = 0;
    for (const call of calls) {
      await pause();
      const outcome = await session.call(call, timeout);
      requests += outcome.pages;
      ms += outcome.ms;
      texts.push(outcome.text);
      if (!outcome.ok) errors.push(`${call.tool}: ${outcome.error}`);
    }
    while (result.latencyMs.length < round) result.latencyMs.push(null);
    result.latencyMs.push(errors.length > 0 ? null : roundMs(ms));
    result.latency = spread(result.latencyMs.filter((value) => value !== null));
    if (round === 0) {
      const text = texts.join("\n");
      result.requests = requests;
      result.outputChars = text.length;
      result.outputTokens = tokens(text);
      result.facts = {
        found: question.facts.filter((fact) => fact.test(text)).map(({ label }) => label),
        missing: question.facts.filter((fact) => !fact.test(text)).map(({ label }) => label),
      };
      if (this.target.dumpDirectory) {
        await writeFile(join(this.target.dumpDirectory, `${server.id}.${question.id}.txt`), text);
      }
      process.stderr.write(`  ${server.id} ${question.id}: ${summary(result, ms)}\n`);
    }
    if (errors.length > 0) {
      result.ok = false;
      result.error = errors.join("; ");
    }
  }

  /** Reads memory after every round, then ends the process. */
  async close(): Promise<void> {
    const memory = this.#session?.memory();
    if (memory && this.target.result.memory) {
      this.target.result.memory.afterRoundsKiB = memory.rssKiB;
      this.target.result.memory.peakKiB = memory.peakKiB;
    }
    await this.#session?.close();
  }
}

function emptyQuestion(question: Question, calls: QuestionResult["calls"]): QuestionResult {
  return {
    calls,
    ok: true,
    latencyMs: [],
    latency: spread([]),
    requests: 0,
    outputTokens: 0,
    outputChars: 0,
    facts: { found: [], missing: question.facts.map(({ label }) => label) },
  };
}

function summary(result: QuestionResult, ms: number): string {
  const facts = `${result.facts.found.length}/${result.facts.found.length + result.facts.missing.length} facts`;
  return `${Math.round(ms)} ms, ${result.outputTokens} tokens, ${facts}`;
}
