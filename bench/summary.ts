// Everything the runs measured, reduced to one line each: the spread over every round of every run
// and each run's median beside it (a number that moves from run to run shows it), and the ratios
// flux-mcp ÷ other taken round by round, so both sides of a ratio met the same machine moment.
import { median, spread } from "./numbers.ts";
import type { Question } from "./questions.ts";
import type { ColdStartResult, Pooled, RunResult, Series, ServerResult, Summary } from "./results.ts";

export const OURS = "flux-mcp";

const COLD_MEASURES = {
  initialize: "initializeMs",
  toolsList: "toolsListMs",
  firstCall: "firstCallMs",
  firstAnswer: "firstAnswerMs",
  rss: "rssKiB",
} as const satisfies Record<string, keyof ColdStartResult>;

export type ColdMeasure = keyof typeof COLD_MEASURES;
export const COLD_MEASURE_NAMES = Object.keys(COLD_MEASURES) as ColdMeasure[];

function present(series: Series): number[] {
  return series.filter((value): value is number => value !== null && Number.isFinite(value));
}

export function pooled(seriesPerRun: Series[]): Pooled {
  return {
    pooled: spread(seriesPerRun.flatMap(present)),
    runMedians: seriesPerRun.map((series) => Number(median(present(series)).toPrecision(4))),
  };
}

/** ours[i] ÷ theirs[i], null where either is missing. */
function paired(ours: Series | undefined, theirs: Series | undefined): Series {
  if (!ours || !theirs) return [];
  return ours.map((value, index) => {
    const other = theirs[index];
    return value === null || other === null || other === undefined || other === 0 ? null : value / other;
  });
}

function coldSeries(server: ServerResult | undefined, measure: ColdMeasure): Series | undefined {
  return server?.coldStart?.[COLD_MEASURES[measure]] as Series | undefined;
}

export function summarize(runs: RunResult[], questions: Question[]): Summary {
  const first = runs[0];
  const summary: Summary = { coldStart: {}, questions: {}, floor: {}, ratios: {}, tokenRatios: {} };
  if (!first) return summary;
  const serverIds = first.servers.map((server) => server.id);
  const serverIn = (run: RunResult, id: string) => run.servers.find((server) => server.id === id);

  for (const id of serverIds) {
    const cold: Record<string, Pooled> = {};
    for (const measure of COLD_MEASURE_NAMES) {
      cold[measure] = pooled(runs.map((run) => coldSeries(serverIn(run, id), measure) ?? []));
    }
    summary.coldStart[id] = cold;
    const answered: Summary["questions"][string] = {};
    for (const question of questions) {
      const results = runs.map((run) => serverIn(run, id)?.questions[question.id]);
      const firstResult = results[0];
      if (!firstResult) continue;
      const facts = firstResult.facts;
      answered[question.id] = {
        latency: pooled(results.map((result) => result?.latencyMs ?? [])),
        outputTokens: firstResult.outputTokens,
        facts: `${facts.found.length}/${facts.found.length + facts.missing.length}`,
        requests: firstResult.requests,
        ok: results.every((result) => result?.ok === true),
      };
    }
    if (Object.keys(answered).length > 0) summary.questions[id] = answered;
  }

  for (const question of questions) {
    const floors = runs.map((run) => run.floor[question.id]);
    const firstFloor = floors[0];
    if (!firstFloor) continue;
    summary.floor[question.id] = {
      latency: pooled(floors.map((floor) => floor?.latencyMs ?? [])),
      tokens: firstFloor.tokens,
      requests: firstFloor.requests.length,
    };
  }

  const ours = first.servers.find((server) => server.id === OURS);
  if (!ours) return summary;
  for (const other of first.servers.filter((server) => server.id !== OURS)) {
    const ratios: Record<string, Pooled> = {};
    for (const measure of COLD_MEASURE_NAMES) {
      ratios[measure] = pooled(
        runs.map((run) =>
          paired(coldSeries(serverIn(run, OURS), measure), coldSeries(serverIn(run, other.id), measure)),
        ),
      );
    }
    const tokenRatios: Record<string, number | undefined> = {
      toolsList: tokenRatio(ours.toolsList?.tokens, other.toolsList?.tokens),
    };
    for (const question of other.reference ? [] : questions) {
      ratios[`${question.id}.latency`] = pooled(
        runs.map((run) =>
          paired(
            serverIn(run, OURS)?.questions[question.id]?.latencyMs,
            serverIn(run, other.id)?.questions[question.id]?.latencyMs,
          ),
        ),
      );
      const [mine, theirs] = [ours.questions[question.id], other.questions[question.id]];
      tokenRatios[question.id] =
        mine?.ok && theirs?.ok ? tokenRatio(mine.outputTokens, theirs.outputTokens) : undefined;
    }
    summary.ratios[`${OURS}/${other.id}`] = ratios;
    summary.tokenRatios[`${OURS}/${other.id}`] = tokenRatios;
  }
  const againstFloor: Record<string, Pooled> = {};
  for (const question of questions) {
    againstFloor[`${question.id}.latency`] = pooled(
      runs.map((run) =>
        paired(serverIn(run, OURS)?.questions[question.id]?.latencyMs, run.floor[question.id]?.latencyMs),
      ),
    );
  }
  summary.ratios[`${OURS}/floor`] = againstFloor;
  return summary;
}

function tokenRatio(ours: number | undefined, theirs: number | undefined): number | undefined {
  if (ours === undefined || theirs === undefined || theirs === 0) return undefined;
  return Number((ours / theirs).toPrecision(3));
}
