// The summary as Markdown tables: printed after a run, pasted into the README. Every time is a
// median with its 10th–90th percentile spread over every round of every run; every ratio is taken
// round by round and shown the same way, with each run's median beside it.
import { spread, type Spread } from "./numbers.ts";
import type { Question } from "./questions.ts";
import type { BenchResults, Pooled, ServerResult } from "./results.ts";
import { OURS } from "./summary.ts";

export function markdownReport(results: BenchResults, questions: Question[]): string {
  const { summary, options } = results;
  const servers = results.runs[0]?.servers ?? [];
  const header = (first: string, columns: string[]) =>
    [`| ${[first, ...columns].join(" | ")} |`, `|${[first, ...columns].map(() => "---").join("|")}|`].join(
      "\n",
    );
  const cold = (id: string, measure: string) => summary.coldStart[id]?.[measure];
  const row = (label: string, cell: (server: ServerResult) => string) =>
    `| ${label} | ${servers.map((server) => (server.skipped ? "not run" : cell(server))).join(" | ")} |`;
  const firstCallTool = (server: ServerResult) => server.coldStart?.firstCall.tool ?? "—";

  const spawns = options.spawns * options.runs;
  const startup = [
    header(
      "",
      servers.map((server) => server.label),
    ),
    row("spawn → `initialize` answered", (s) => msSpread(cold(s.id, "initialize"))),
    row("spawn → `tools/list` answered", (s) => msSpread(cold(s.id, "toolsList"))),
    row(
      "first tool call, sent the moment `tools/list` answered",
      (s) => `${msSpread(cold(s.id, "firstCall"))} (\`${firstCallTool(s)}\`)`,
    ),
    row("**spawn → first tool answer**", (s) => msSpread(cold(s.id, "firstAnswer"))),
    row("resident memory after the first tool answer", (s) => mibSpread(cold(s.id, "rss"))),
    row("peak resident memory of a question session (every round asked)", (s) =>
      s.reference ? "—" : mib(s.memory?.peakKiB),
    ),
    row("`tools/list`", (s) =>
      s.toolsList ? `${s.toolsList.tools} tools, ${count(s.toolsList.tokens)} tokens` : "—",
    ),
  ].join("\n");

  const answering = servers.filter((server) => !server.reference);
  const answers = [
    header("Question", ["raw API (floor)", ...answering.map((server) => server.label)]),
    ...questions.map((question) => {
      const floor = summary.floor[question.id];
      const floorCell = floor
        ? `${msSpread(floor.latency)} · ${count(floor.tokens)} tok · ${floor.requests} req`
        : "—";
      const cells = answering.map((server) => {
        const answer = summary.questions[server.id]?.[question.id];
        if (!answer) return "—";
        const error = server.questions[question.id]?.error;
        if (error?.startsWith("not in tools/list")) return "no such tool";
        const calls = `${answer.requests} call${answer.requests === 1 ? "" : "s"}`;
        const cell = `${msSpread(answer.latency)} · ${count(answer.outputTokens)} tok · ${answer.facts} · ${calls}`;
        return answer.ok ? cell : `${cell} · **failed**`;
      });
      return `| ${question.ask} | ${floorCell} | ${cells.join(" | ")} |`;
    }),
  ].join("\n");

  const others = servers.filter((server) => server.id !== OURS);
  const peers = answering.filter((server) => server.id !== OURS);
  const ratio = (other: string, key: string) => timesSpread(summary.ratios[`${OURS}/${other}`]?.[key]);
  const tokenRatio = (other: string, key: string) => times(summary.tokenRatios[`${OURS}/${other}`]?.[key]);
  const shortName = (server: ServerResult) => server.label.split(" ")[0] ?? server.id;
  const startupRatios = [
    header(
      "flux-mcp ÷ other, paired per round",
      others.map((other) => other.label),
    ),
    `| spawn → \`initialize\` | ${others.map((other) => ratio(other.id, "initialize")).join(" | ")} |`,
    `| spawn → \`tools/list\` | ${others.map((other) => ratio(other.id, "toolsList")).join(" | ")} |`,
    `| first tool call after the handshake | ${others.map((other) => ratio(other.id, "firstCall")).join(" | ")} |`,
    `| **spawn → first tool answer** | ${others.map((other) => ratio(other.id, "firstAnswer")).join(" | ")} |`,
    `| resident memory after the first tool answer | ${others.map((other) => ratio(other.id, "rss")).join(" | ")} |`,
    `| \`tools/list\` tokens | ${others.map((other) => tokenRatio(other.id, "toolsList")).join(" | ")} |`,
  ].join("\n");
  const questionRatios = [
    header("Question", [
      ...peers.map((peer) => `tokens ÷ ${shortName(peer)}`),
      ...peers.map((peer) => `latency ÷ ${shortName(peer)}`),
      "latency ÷ raw API",
    ]),
    ...questions.map((question) => {
      const cells = [
        ...peers.map((peer) => tokenRatio(peer.id, question.id)),
        ...peers.map((peer) => ratio(peer.id, `${question.id}.latency`)),
        timesSpread(summary.ratios[`${OURS}/floor`]?.[`${question.id}.latency`]),
      ];
      return `| ${question.ask} | ${cells.join(" | ")} |`;
    }),
  ].join("\n");

  const problems = results.runs.flatMap((run) =>
    run.servers.flatMap((server) => [
      ...(server.skipped ? [`- run ${run.run}, ${server.label}: not run (${server.skipped})`] : []),
      ...(server.error ? [`- run ${run.run}, ${server.label}: ${server.error}`] : []),
      ...[...new Set(server.coldStart?.errors ?? [])].map(
        (error) => `- run ${run.run}, ${server.label}, cold start: ${error}`,
      ),
      ...Object.entries(server.questions)
        .filter(([, result]) => result && !result.ok)
        .map(([id, result]) => `- run ${run.run}, ${server.label}, ${id}: ${result?.error}`),
    ]),
  );
  const { floorClient } = results;
  const nodeStart = spread(results.runs.flatMap((run) => run.nodeStartMs));

  return [
    `### Cold start: a fresh process per round (${spawns} spawns per server over ${options.runs} run${options.runs === 1 ? "" : "s"}, servers in rotated order)`,
    "",
    "Each time: median (10th–90th percentile).",
    "",
    startup,
    "",
    `For scale: Node alone, spawned until it answers a line on stdin, takes ${spreadText(nodeStart)}.`,
    "",
    "Over stdio, flux-mcp answers `initialize` and the `tools/list` after it before its MCP server and tools have loaded, from the SDK's answers recorded at build time; a first call sent the moment `tools/list` answers waits for that load. Spawn → first tool answer is the figure to compare.",
    "",
    `### Standard questions: one session per server, each question asked of every server in turn, who goes first rotated each round (${options.rounds * options.runs} rounds)`,
    "",
    "Each cell: median (10th–90th percentile) of the time spent in the question's tool calls · output tokens · key facts present · tool calls made.",
    "",
    answers,
    "",
    `The floor's two clients on the largest list (\`${floorClient.path}\`, ${count(floorClient.bytes)} bytes), in turns: Node https (keep-alive, in a thread of its own) ${floorClient.nodeMs ? spreadText(floorClient.nodeMs) : "not run"}, curl (its own transfer time on an open connection) ${floorClient.curlMs ? spreadText(floorClient.curlMs) : "not run"}; the floor rows use ${floorClient.used === "node" ? "the Node client" : "curl"}, the faster.`,
    "",
    "### Ratios (flux-mcp ÷ other; below 1× means flux-mcp needs less)",
    "",
    "Times are paired: the ratio of the two servers' times in the same round, then the median (10th–90th percentile) of those ratios; after `runs`, each run's median ratio.",
    "",
    startupRatios,
    "",
    questionRatios,
    ...(problems.length > 0 ? ["", "Failures:", "", ...problems] : []),
    ...(results.changes.length > 0
      ? [
          "",
          "### Before and after",
          "",
          "Measured on the same shared machine as the tables above, so noisy: the spreads say how much.",
          "",
          header("Change", ["Measure", "Before", "After", "Measured by"]),
          ...results.changes.map(
            (change) =>
              `| ${change.change} | ${change.measure} | ${change.before} | ${change.after} | ${change.how} |`,
          ),
        ]
      : []),
  ].join("\n");
}

function spreadText(value: Spread): string {
  return `${ms(value.median)} (${bare(value.p10)}–${ms(value.p90)})`;
}

function msSpread(value: Pooled | undefined): string {
  if (!value || value.pooled.n === 0) return "—";
  const { median: middle, p10, p90 } = value.pooled;
  return `${ms(middle)} (${bare(p10)}–${ms(p90)})`;
}

function mibSpread(value: Pooled | undefined): string {
  if (!value || value.pooled.n === 0) return "—";
  const { median: middle, p10, p90 } = value.pooled;
  return `${mib(middle)} (${(p10 / 1024).toFixed(0)}–${mib(p90)})`;
}

function timesSpread(value: Pooled | undefined): string {
  if (!value || value.pooled.n === 0) return "—";
  const { median: middle, p10, p90 } = value.pooled;
  const runs = value.runMedians.length > 1 ? `; runs ${value.runMedians.map(factor).join(", ")}` : "";
  return `${times(middle)} (${factor(p10)}–${times(p90)})${runs}`;
}

function ms(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? "—" : `${bare(value)} ms`;
}

function bare(value: number): string {
  if (!Number.isFinite(value)) return "—";
  return value >= 100 ? count(Math.round(value)) : value.toFixed(1);
}

function mib(kib: number | undefined): string {
  return kib === undefined || !Number.isFinite(kib) ? "—" : `${(kib / 1024).toFixed(0)} MiB`;
}

function count(value: number): string {
  return value.toLocaleString("en-US");
}

function factor(value: number): string {
  if (!Number.isFinite(value)) return "—";
  if (value >= 10) return value.toFixed(0);
  return value >= 1 ? value.toFixed(2) : String(Number(value.toPrecision(2)));
}

function times(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? "—" : `${factor(value)}×`;
}
