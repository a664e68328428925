// Measures one server: handshakes (fresh process each), then one session answering every
// standard question several times, with its memory read after the handshake and after the
// heaviest question. Failures are recorded, never thrown: a peer that breaks does not stop the run.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { McpSession, pause } from "./mcp-session.ts";
import { median, roundMs, tokens } from "./numbers.ts";
import type { Question } from "./questions.ts";
import type { HandshakeResult, QuestionResult, ServerResult } from "./results.ts";
import type { HandshakeReference, Launch, ServerUnderTest } from "./servers/server.ts";

const CALL_TIMEOUT_MS = 60_000;
const FLEET_CALL_TIMEOUT_MS = 120_000;

export interface Target<Server extends HandshakeReference = ServerUnderTest> {
  server: Server;
  launch: Launch;
  result: ServerResult;
  /** Where to write each answer's text (first repetition), for reading what a server said. */
  dumpDirectory?: string;
}

/** One spawn-to-tools/list handshake; the process is killed afterwards. */
export async function measureHandshake(target: Target<HandshakeReference>): Promise<void> {
  if (target.result.skipped || target.result.error) return;
  let session: McpSession | undefined;
  try {
    session = await McpSession.open(target.launch);
    const handshake = (target.result.handshake ??= emptyHandshake());
    handshake.initializeMs.push(roundMs(session.initializeMs));
    handshake.toolsListMs.push(roundMs(session.toolsListMs));
    const memory = session.memory();
    if (memory) handshake.rssKiB.push(memory.rssKiB);
    handshake.medianInitializeMs = median(handshake.initializeMs);
    handshake.medianToolsListMs = median(handshake.toolsListMs);
    handshake.medianRssKiB = median(handshake.rssKiB);
  } catch (error) {
    target.result.error = `handshake failed: ${(error as Error).message}`;
  } finally {
    await session?.close();
  }
}

function emptyHandshake(): HandshakeResult {
  return {
    initializeMs: [],
    toolsListMs: [],
    medianInitializeMs: NaN,
    medianToolsListMs: NaN,
    rssKiB: [],
    medianRssKiB: NaN,
  };
}

/** Answers every question in one session; the heaviest one last, so memory after it is read once. */
export async function measureQuestions(
  target: Target,
  questions: Question[],
  heaviest: Question,
): Promise<void> {
  const { result, server } = target;
  if (result.skipped || result.error) return;
  let session: McpSession | undefined;
  try {
    session = await McpSession.open(target.launch);
    result.toolsList = { tools: session.tools.length, tokens: tokens(JSON.stringify(session.tools)) };
    const afterHandshake = session.memory();
    const ordered = [...questions.filter((question) => question !== heaviest), heaviest];
    for (const question of ordered) {
      const answered = await answer(session, server.calls[question.id], question);
      result.questions[question.id] = answered.result;
      if (target.dumpDirectory) {
        await writeFile(join(target.dumpDirectory, `${server.id}.${question.id}.txt`), answered.text);
      }
      process.stderr.write(`  ${server.id} ${question.id}: ${summary(result.questions[question.id])}\n`);
    }
    const afterHeaviest = session.memory();
    result.memory = {
      afterHandshakeKiB: afterHandshake?.rssKiB ?? NaN,
      afterHeaviestKiB: afterHeaviest?.rssKiB,
      peakKiB: afterHeaviest?.peakKiB,
      heaviestQuestion: heaviest.id,
    };
  } catch (error) {
    result.error = `session failed: ${(error as Error).message}`;
  } finally {
    await session?.close();
  }
}

async function answer(
  session: McpSession,
  calls: QuestionResult["calls"],
  question: Question,
): Promise<{ result: QuestionResult; text: string }> {
  const result: QuestionResult = {
    calls,
    ok: true,
    latencyMs: [],
    requests: 0,
    outputTokens: 0,
    outputChars: 0,
    facts: { found: [], missing: question.facts.map(({ label }) => label) },
  };
  const missingTools = calls.filter((call) => !session.hasTool(call.tool)).map((call) => call.tool);
  if (missingTools.length > 0) {
    const error = `not in tools/list: ${[...new Set(missingTools)].join(", ")}`;
    return { result: { ...result, ok: false, error }, text: "" };
  }
  const timeout = question.context === "fleet" ? FLEET_CALL_TIMEOUT_MS : CALL_TIMEOUT_MS;
  let firstText = "";
  for (let repetition = 0; repetition < question.repetitions; repetition++) {
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
    result.latencyMs.push(roundMs(ms));
    if (repetition === 0) {
      const text = texts.join("\n");
      firstText = text;
      result.requests = requests;
      result.outputChars = text.length;
      result.outputTokens = tokens(text);
      result.facts = {
        found: question.facts.filter((fact) => fact.test(text)).map(({ label }) => label),
        missing: question.facts.filter((fact) => !fact.test(text)).map(({ label }) => label),
      };
      if (errors.length > 0) {
        // A broken answer is measured once: repeating a timeout would only stretch the run.
        const failed = { ...result, ok: false, error: errors.join("; "), medianMs: result.latencyMs[0] };
        return { result: failed, text };
      }
    }
  }
  return { result: { ...result, medianMs: median(result.latencyMs) }, text: firstText };
}

function summary(result: QuestionResult | undefined): string {
  if (!result) return "not run";
  const facts = `${result.facts.found.length}/${result.facts.found.length + result.facts.missing.length} facts`;
  const status = result.ok ? "" : ` FAILED: ${result.error}`;
  return `${Math.round(result.medianMs ?? NaN)} ms, ${result.outputTokens} tokens, ${facts}${status}`;
}
