// Turns the results into ratios and Markdown tables: printed after a run, pasted into the README.
import { ratio } from "./numbers.ts";
import type { Question } from "./questions.ts";
import type { BenchResults, QuestionResult, ServerResult } from "./results.ts";

export const OURS = "flux-mcp";

/** ours / peer for every number both have, and ours / floor for every question. */
export function computeRatios(
  servers: ServerResult[],
  floor: BenchResults["floor"],
  questions: Question[],
): BenchResults["ratios"] {
  const ours = servers.find((server) => server.id === OURS);
  const ratios: BenchResults["ratios"] = {};
  if (!ours) return ratios;
  for (const peer of servers.filter((server) => server.id !== OURS)) {
    const pair: Record<string, number | undefined> = {
      "handshake.initialize": ratio(ours.handshake?.medianInitializeMs, peer.handshake?.medianInitializeMs),
      "handshake.toolsList": ratio(ours.handshake?.medianToolsListMs, peer.handshake?.medianToolsListMs),
      "memory.afterHandshake": ratio(ours.handshake?.medianRssKiB, peer.handshake?.medianRssKiB),
      "memory.afterHeaviest": ratio(ours.memory?.afterHeaviestKiB, peer.memory?.afterHeaviestKiB),
      "toolsList.tokens": ratio(ours.toolsList?.tokens, peer.toolsList?.tokens),
    };
    for (const { id } of peer.reference ? [] : questions) {
      const [mine, theirs] = [ours.questions[id], peer.questions[id]];
      pair[`${id}.latency`] = ratio(answered(mine)?.medianMs, answered(theirs)?.medianMs);
      pair[`${id}.tokens`] = ratio(answered(mine)?.outputTokens, answered(theirs)?.outputTokens);
    }
    ratios[`${OURS}/${peer.id}`] = pair;
  }
  const againstFloor: Record<string, number | undefined> = {};
  for (const { id } of questions) {
    againstFloor[`${id}.latency`] = ratio(answered(ours.questions[id])?.medianMs, floor[id]?.medianMs);
  }
  ratios[`${OURS}/floor`] = againstFloor;
  return ratios;
}

/** Only answers that came back are compared: a failed call's numbers would flatter or smear. */
function answered(result: QuestionResult | undefined): QuestionResult | undefined {
  return result?.ok ? result : undefined;
}

export function markdownReport(results: BenchResults, questions: Question[]): string {
  const servers = results.servers;
  const header = (first: string, columns: string[]) =>
    [`| ${[first, ...columns].join(" | ")} |`, `|${[first, ...columns].map(() => "---").join("|")}|`].join(
      "\n",
    );
  const names = servers.map((server) => server.label);

  const startup = [
    header("", names),
    row(`spawn → \`initialize\` answered (median of ${spawnCount(servers)})`, servers, (s) =>
      ms(s.handshake?.medianInitializeMs),
    ),
    row("spawn → `tools/list` answered (median)", servers, (s) => ms(s.handshake?.medianToolsListMs)),
    row("resident memory after the handshake (median)", servers, (s) => mib(s.handshake?.medianRssKiB)),
    row(`resident memory after the heaviest question (${heaviestOf(servers)})`, servers, (s) =>
      mib(s.memory?.afterHeaviestKiB),
    ),
    row("`tools/list`", servers, (s) =>
      s.toolsList ? `${s.toolsList.tools} tools, ${count(s.toolsList.tokens)} tokens` : "—",
    ),
  ].join("\n");

  const answering = servers.filter((server) => !server.reference);
  const answers = [
    header("Question", ["raw API (floor)", ...answering.map((server) => server.label)]),
    ...questions.map((question) => {
      const floor = results.floor[question.id];
      const floorCell = floor?.error
        ? "error"
        : floor
          ? `${ms(floor.medianMs)} · ${count(floor.tokens)} tok · ${floor.requests.length} req`
          : "—";
      const cells = answering.map((server) => answerCell(server.questions[question.id]));
      return `| ${question.ask} | ${floorCell} | ${cells.join(" | ")} |`;
    }),
  ].join("\n");

  const peers = answering.filter((server) => server.id !== OURS);
  const pair = (peer: ServerResult, key: string) => times(results.ratios[`${OURS}/${peer.id}`]?.[key]);
  const others = servers.filter((server) => server.id !== OURS);
  const startupRatio = (label: string, key: string) =>
    `| ${label} | ${others.map((other) => pair(other, key)).join(" | ")} |`;
  const startupRatios = [
    header(
      "flux-mcp ÷ other",
      others.map((other) => other.label),
    ),
    startupRatio("spawn → `initialize`", "handshake.initialize"),
    startupRatio("spawn → `tools/list`", "handshake.toolsList"),
    startupRatio("memory after the handshake", "memory.afterHandshake"),
    startupRatio("memory after the heaviest question", "memory.afterHeaviest"),
    startupRatio("`tools/list` tokens", "toolsList.tokens"),
  ].join("\n");
  const shortName = (peer: ServerResult) => peer.label.split(" ")[0] ?? peer.id;
  const questionRatios = [
    header("Question", [
      ...peers.map((peer) => `tokens ÷ ${shortName(peer)}`),
      ...peers.map((peer) => `latency ÷ ${shortName(peer)}`),
      "latency ÷ raw API",
    ]),
    ...questions.map((question) => {
      const cells = [
        ...peers.map((peer) => pair(peer, `${question.id}.tokens`)),
        ...peers.map((peer) => pair(peer, `${question.id}.latency`)),
        times(results.ratios[`${OURS}/floor`]?.[`${question.id}.latency`]),
      ];
      return `| ${question.ask} | ${cells.join(" | ")} |`;
    }),
  ].join("\n");

  const problems = servers.flatMap((server) => [
    ...(server.skipped ? [`- ${server.label}: not run (${server.skipped})`] : []),
    ...(server.error ? [`- ${server.label}: ${server.error}`] : []),
    ...Object.entries(server.questions)
      .filter(([, result]) => result && !result.ok)
      .map(([id, result]) => `- ${server.label}, ${id}: ${result?.error}`),
  ]);

  return [
    "### Startup, memory and tool catalogue",
    "",
    startup,
    "",
    `For scale: Node alone, spawned until it answers a line on stdin, takes ${ms(results.nodeStart.medianMs)} (median of ${results.nodeStart.ms.length}).`,
    "",
    "### Standard questions",
    "",
    "Each cell: median time spent in the question's tool calls · output tokens · key facts present · tool calls made.",
    "",
    answers,
    "",
    "### Ratios (flux-mcp ÷ other; below 1× means flux-mcp needs less)",
    "",
    startupRatios,
    "",
    questionRatios,
    ...(problems.length > 0 ? ["", "Failures:", "", ...problems] : []),
  ].join("\n");
}

function row(label: string, servers: ServerResult[], cell: (server: ServerResult) => string): string {
  return `| ${label} | ${servers.map((server) => (server.skipped ? "not run" : cell(server))).join(" | ")} |`;
}

function answerCell(result: QuestionResult | undefined): string {
  if (!result) return "—";
  if (result.error?.startsWith("not in tools/list")) return "no such tool";
  const facts = `${result.facts.found.length}/${result.facts.found.length + result.facts.missing.length}`;
  const calls = `${result.requests} call${result.requests === 1 ? "" : "s"}`;
  const cell = `${ms(result.medianMs)} · ${count(result.outputTokens)} tok · ${facts} · ${calls}`;
  return result.ok ? cell : `${cell} · **failed**`;
}

function spawnCount(servers: ServerResult[]): number {
  return Math.max(0, ...servers.map((server) => server.handshake?.initializeMs.length ?? 0));
}

function heaviestOf(servers: ServerResult[]): string {
  return servers.find((server) => server.memory)?.memory?.heaviestQuestion ?? "—";
}

function ms(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "—";
  return value >= 100 ? `${count(Math.round(value))} ms` : `${value.toFixed(1)} ms`;
}

function mib(kib: number | undefined): string {
  return kib === undefined || !Number.isFinite(kib) ? "—" : `${(kib / 1024).toFixed(0)} MiB`;
}

function count(value: number): string {
  return value.toLocaleString("en-US");
}

function times(value: number | undefined): string {
  if (value === undefined) return "—";
  if (value >= 10) return `${value.toFixed(0)}×`;
  return value >= 1 ? `${value.toFixed(2)}×` : `${Number(value.toPrecision(2))}×`;
}
