// flux-mcp alone at scale: a generated fleet of 50,000 Flux objects (1,000 namespaces) in the
// in-memory API server, and the calls an assistant makes about a fleet. Per call: its time against
// the raw API requests for the same data (a listing that answers in pages: the same pages, one raw
// list per answer following the continue token), twice: the floor (the faster of curl and Node,
// transfer only) and the same requests from Node's https client with every body JSON.parsed (what
// a server that reads the lists' fields cannot do without); the call and both floors asked in
// turn, who goes first rotated each round, the ratios taken round by round, over the lower of the
// two floors of the round. Also the server's peak
// resident memory during the call (VmHWM, reset before it), and the longest event-loop block
// inside the server (bench/loop-probe.ts, preloaded). Each run is a fresh server. Writes the
// `scale` part of bench/results.json. Not part of the test suite.
//
//   node bench/scale.ts [--flux-objects 50000] [--runs 3] [--rounds 5] [--out DIR] [--no-write]
//                       [--only CALL,…] [--node-flag FLAG]… (e.g. --node-flag=--cpu-prof, to profile the server)
//                       [--cli PATH]  (another build's dist/cli.js, to measure before and after)
import { writeFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchArguments } from "./arguments.ts";
import { startApiServer } from "@flux-mcp/kube-emulator";
import { buildFleetCluster, fleetNamespaces } from "./fleet.ts";
import { checkFloorClients, CurlClient, FloorThread, type FloorClient } from "./floor.ts";
import { killAllServers, McpSession, pause } from "./mcp-session.ts";
import { ratio, roundMs, rotated, spread } from "./numbers.ts";
import { FLEET_CONTEXT, FLUX_KINDS_WITH_STATUS } from "./questions.ts";
import {
  machineEnvironment,
  writeResults,
  type BenchResults,
  type ScaleCall,
  type ScaleResults,
  type Series,
} from "./results.ts";
import { cleanEnvironment, type Launch } from "./servers/server.ts";
import { READY_FIELDS } from "./servers/flux-mcp.ts";
import { pooled } from "./summary.ts";

const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));
const PROBE = fileURLToPath(new URL("loop-probe.ts", import.meta.url));
const FLUX_OBJECTS_PER_NAMESPACE = 50;
const CALL_TIMEOUT_MS = 300_000;
const PROBE_TIMEOUT_MS = 10_000;

const values = benchArguments(import.meta.url, {
  "flux-objects": { type: "string", default: "50000" },
  runs: { type: "string", default: "3" },
  rounds: { type: "string", default: "5" },
  out: { type: "string" },
  "no-write": { type: "boolean", default: false },
  only: { type: "string" },
  "node-flag": { type: "string", multiple: true, default: [] },
  cli: { type: "string", default: fileURLToPath(new URL("../dist/cli.js", import.meta.url)) },
});
const options = {
  fluxObjects: Number(values["flux-objects"]),
  runs: Number(values.runs),
  rounds: Number(values.rounds),
};
for (const [name, value] of Object.entries(options)) {
  if (!(Number.isInteger(value) && value >= 1))
    throw new Error(`--${name} must be a whole number of at least 1`);
}

const log = (message: string) => process.stderr.write(`scale: ${message}\n`);

interface Probe {
  id: string;
  tool: string;
  args: Record<string, unknown>;
  followContinue?: boolean;
  /** Raw requests asked at once; for a paged call, its pages (see PagedFloor), asked in turn. */
  floor: string[];
  paged?: PagedFloor;
}

/**
 * A call that answers in pages (the response limit cuts a long listing) needs, at the least, one
 * raw list per answer: the same list with each answer's row count as its limit, following the
 * continue token from page to page, one request after the other as the answers are. How the tool
 * reads each answer's objects (its own API page size) is its cost, not the floor's.
 */
interface PagedFloor {
  path: string;
  /** Rows of each answer, in order, read from the tool's answers before the runs. */
  limits: number[];
}

/** The calls, and the raw API requests a client would send for the same data. */
function probes(served: typeof FLUX_KINDS_WITH_STATUS, firstPageNamespaces: string[]): Probe[] {
  const kustomizations = "/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations";
  const eventSelector = encodeURIComponent(
    "involvedObject.kind=Kustomization,reason!=ReconciliationSucceeded",
  );
  return [
    {
      id: "flux-instance",
      tool: "get_flux_instance",
      args: {},
      floor: served.map(({ group, version, plural }) => `/apis/${group}/${version}/${plural}`),
    },
    {
      id: "kustomizations-fields",
      tool: "get_kubernetes_resources",
      args: {
        apiVersion: "kustomize.toolkit.fluxcd.io/v1",
        kind: "Kustomization",
        fields: READY_FIELDS,
        limit: 10_000,
      },
      followContinue: true,
      floor: [kustomizations],
      paged: { path: kustomizations, limits: [] },
    },
    {
      id: "kustomizations-default-page",
      tool: "get_kubernetes_resources",
      args: { kind: "Kustomization" },
      floor: [
        `${kustomizations}?limit=100`,
        ...firstPageNamespaces.map(
          (namespace) => `/api/v1/namespaces/${namespace}/events?fieldSelector=${eventSelector}`,
        ),
      ],
    },
  ];
}

async function main(): Promise<void> {
  const now = new Date();
  const namespaces = fleetNamespaces(Math.ceil(options.fluxObjects / FLUX_OBJECTS_PER_NAMESPACE));
  log(`building a fleet of ${options.fluxObjects} Flux objects…`);
  const buildStarted = performance.now();
  const fleet = await buildFleetCluster(FLEET_CONTEXT, now, namespaces);
  const buildSeconds = Number(((performance.now() - buildStarted) / 1000).toFixed(2));
  const apiServer = await startApiServer({ clusters: [fleet.cluster], simulation: false });
  const directory = await mkdtemp(join(tmpdir(), "flux-mcp-scale-"));
  try {
    const kubeconfig = apiServer.kubeconfig();
    const kubeconfigPath = join(directory, "kubeconfig.yaml");
    await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });

    log("the floor's clients, Node and curl, on the largest list…");
    const nodeClient = new FloorThread(kubeconfig);
    const clients = [nodeClient, new CurlClient(kubeconfig, directory)];
    const largest = "/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations";
    const floorClient = await checkFloorClients(clients, FLEET_CONTEXT, largest);
    const raw = clients.find((client) => client.name === floorClient.used) as FloorClient;

    const firstPage = await raw.getAll(FLEET_CONTEXT, [`${largest}?limit=100`], true);
    const pageItems = (JSON.parse(firstPage.body) as { items: { metadata: { namespace: string } }[] }).items;
    const served = FLUX_KINDS_WITH_STATUS.filter(({ group, version, kind }) =>
      fleet.cluster.registry.byKind(`${group}/${version}`, kind),
    );
    const calls = probes(served, [...new Set(pageItems.map((item) => item.metadata.namespace))]).filter(
      (call) => values.only === undefined || values.only.split(",").includes(call.id),
    );
    for (const call of calls) if (call.paged) await readPageLimits(kubeconfigPath, directory, call);
    const results = calls.map(emptyCall);

    for (let run = 1; run <= options.runs; run++) {
      log(`run ${run} of ${options.runs}: a fresh server, ${options.rounds} rounds`);
      const home = join(directory, `home-${run}`);
      await mkdir(home, { recursive: true });
      const session = await McpSession.open(launch(kubeconfigPath, home));
      try {
        for (let round = 0; round < options.rounds; round++) {
          for (const [index, call] of calls.entries()) {
            const result = results[index] as ScaleCall;
            const turns = [
              () => measureCall(session, call, result, round === 0 && run === 1),
              () => measureFloorInto(result.floorMs, "floor", result, () => transferFloorMs(raw, call)),
              () =>
                measureFloorInto(result.parsedFloorMs, "parsed floor", result, () =>
                  parsedFloorMs(nodeClient, call),
                ),
            ];
            for (const turn of rotated(turns, round + index + run)) await turn();
          }
        }
      } finally {
        await session.close();
      }
    }
    await Promise.all(clients.map((client) => client.close()));

    for (const result of results) summarize(result);
    const scale: ScaleResults = {
      generatedAt: now.toISOString(),
      command: `node bench/scale.ts --flux-objects ${options.fluxObjects} --runs ${options.runs} --rounds ${options.rounds}`,
      options,
      environment: machineEnvironment(),
      fleet: { fluxObjects: fleet.summary.fluxObjects, apiObjects: fleet.summary.apiObjects, buildSeconds },
      floorClient,
      calls: results,
    };
    process.stdout.write(table(scale));
    if (!values["no-write"]) {
      const path = join(values.out ?? BENCH_DIR, "results.json");
      const results = JSON.parse(await readFile(path, "utf8")) as BenchResults;
      await writeResults({ ...results, scale }, path);
      log(`written to ${path} (scale)`);
    }
  } finally {
    killAllServers();
    await apiServer.close();
    await rm(directory, { recursive: true, force: true });
  }
}

function launch(kubeconfigPath: string, home: string): Launch {
  return {
    command: process.execPath,
    args: [
      ...values["node-flag"],
      "--import",
      PROBE,
      values.cli,
      "serve",
      "--kubeconfig",
      kubeconfigPath,
      "--kube-context",
      FLEET_CONTEXT,
    ],
    env: cleanEnvironment(home),
  };
}

function emptyCall(probe: Probe): ScaleCall {
  return {
    id: probe.id,
    tool: probe.tool,
    args: probe.args,
    floor: probe.floor,
    outputChars: 0,
    pages: 0,
    ms: [],
    floorMs: [],
    parsedFloorMs: [],
    peakRssKiB: [],
    longestBlockMs: [],
    longestDelayMs: [],
    errors: [],
    summary: {
      ms: spread([]),
      floorMs: spread([]),
      parsedFloorMs: spread([]),
      ratio: { pooled: spread([]), runMedians: [] },
      ratioToParsed: { pooled: spread([]), runMedians: [] },
      parsedOverFloor: { pooled: spread([]), runMedians: [] },
      peakRssMiB: { pooled: spread([]), runMedians: [] },
      longestBlockMs: { pooled: spread([]), runMedians: [] },
      longestDelayMs: { pooled: spread([]), runMedians: [] },
    },
  };
}

/** One call of the probe, with the server's memory peak and longest block during it. */
async function measureCall(
  session: McpSession,
  probe: Probe,
  result: ScaleCall,
  first: boolean,
): Promise<void> {
  await pause();
  await loopReport(session);
  resetPeakRss(session.pid);
  const outcome = await session.call(
    { tool: probe.tool, args: probe.args, ...(probe.followContinue && { followContinue: true }) },
    CALL_TIMEOUT_MS,
  );
  const peak = session.memory()?.peakKiB;
  const block = await loopReport(session);
  if (!outcome.ok) result.errors.push(outcome.error ?? "failed");
  result.ms.push(outcome.ok ? roundMs(outcome.ms) : null);
  result.peakRssKiB.push(peak ?? null);
  result.longestBlockMs.push(block?.cpuMs ?? null);
  result.longestDelayMs.push(block?.wallMs ?? null);
  if (first) {
    result.outputChars = outcome.text.length;
    result.pages = outcome.pages;
  }
  log(
    `  ${probe.id}: ${Math.round(outcome.ms)} ms, peak ${Math.round((peak ?? NaN) / 1024)} MiB, block ${block?.cpuMs} ms (delay ${block?.wallMs} ms)${outcome.ok ? "" : `, ${outcome.error}`}`,
  );
}

/**
 * The rows of each answer of a paged call, from one pass of the tool in a server of its own (the
 * pages a build answers are the same every time on an unchanging fleet); the floor asks for them.
 */
async function readPageLimits(kubeconfigPath: string, directory: string, probe: Probe): Promise<void> {
  const home = join(directory, `home-pages-${probe.id}`);
  await mkdir(home, { recursive: true });
  const session = await McpSession.open(launch(kubeconfigPath, home));
  try {
    const outcome = await session.call(
      { tool: probe.tool, args: probe.args, followContinue: true },
      CALL_TIMEOUT_MS,
    );
    if (!outcome.ok) throw new Error(`${probe.id}: ${outcome.error ?? "failed"}`);
    const limits = [...outcome.text.matchAll(/^# \S+ \([^)]*\), (\d+) rows?;/gm)].map((match) =>
      Number(match[1]),
    );
    if (limits.length !== outcome.pages) {
      throw new Error(`${probe.id}: ${limits.length} row counts in ${outcome.pages} answers`);
    }
    probe.paged = { ...(probe.paged as PagedFloor), limits };
    probe.floor = limits.map(
      (limit, index) => `${(probe.paged as PagedFloor).path}?limit=${limit}${index > 0 ? "&continue=…" : ""}`,
    );
    log(`${probe.id}: the floor pages as the tool's ${limits.length} answers do`);
  } finally {
    await session.close();
  }
}

interface FloorPage {
  ms: number;
  continueToken?: string | undefined;
}

/** The raw requests of a paged call: one per answer, each after the one before, times summed. */
async function pagedFloorMs(
  { path, limits }: PagedFloor,
  readPage: (page: string, more: boolean) => Promise<FloorPage>,
): Promise<number> {
  let ms = 0;
  let token: string | undefined;
  for (const [index, limit] of limits.entries()) {
    const page = `${path}?limit=${limit}${token ? `&continue=${encodeURIComponent(token)}` : ""}`;
    const more = index < limits.length - 1;
    const answer = await readPage(page, more);
    ms += answer.ms;
    if (!more) break;
    token = answer.continueToken;
    if (!token) throw new Error(`${path}: no continue token after page ${index + 1}`);
  }
  return ms;
}

/** The faster client's transfer alone; a page's continue token read from its first bytes. */
function transferFloorMs(raw: FloorClient, probe: Probe): Promise<number> {
  if (!probe.paged) return raw.getAll(FLEET_CONTEXT, probe.floor).then((answer) => answer.ms);
  return pagedFloorMs(probe.paged, async (page, more) => {
    const answer = await raw.getAll(FLEET_CONTEXT, [page], more);
    return { ms: answer.ms, continueToken: /"continue":"([^"]+)"/.exec(answer.body.slice(0, 1000))?.[1] };
  });
}

/** Node with every body parsed; a page's continue token taken from the parse. */
function parsedFloorMs(client: FloorThread, probe: Probe): Promise<number> {
  if (!probe.paged) return client.getParsed(FLEET_CONTEXT, probe.floor).then((answer) => answer.ms);
  return pagedFloorMs(probe.paged, (page) => client.getParsed(FLEET_CONTEXT, [page]));
}

/** One round of a floor into its series; a failure is recorded as a gap and an error. */
async function measureFloorInto(
  series: Series,
  what: string,
  result: ScaleCall,
  read: () => Promise<number>,
): Promise<void> {
  await pause();
  try {
    series.push(roundMs(await read()));
  } catch (error) {
    series.push(null);
    result.errors.push(`${what}: ${(error as Error).message}`);
  }
}

/** VmHWM starts again from the current resident set (Linux: clear_refs 5). */
function resetPeakRss(pid: number): void {
  const path = `/proc/${pid}/clear_refs`;
  try {
    writeFileSync(path, "5");
  } catch (error) {
    throw new Error(`cannot reset the peak resident memory through ${path}`, { cause: error });
  }
}

/** Asks the server's loop probe for the longest delay since its last report, and waits for it. */
/** The longest time without a turn of the event loop: on the clock, and in the main thread's CPU time. */
interface LoopBlock {
  wallMs: number;
  cpuMs: number;
}

async function loopReport(session: McpSession): Promise<LoopBlock | null> {
  const before = lastProbeLine(session.stderrTail());
  process.kill(session.pid, "SIGUSR2");
  const deadline = performance.now() + PROBE_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const line = lastProbeLine(session.stderrTail());
    if (line && line.sequence !== before?.sequence) return { wallMs: line.wallMs, cpuMs: line.cpuMs };
    await pause(5);
  }
  return null;
}

interface ProbeLine extends LoopBlock {
  sequence: number;
}

function lastProbeLine(stderr: string): ProbeLine | undefined {
  const matches = [...stderr.matchAll(/^loop-probe (\d+) (\{.*\})$/gm)];
  const last = matches[matches.length - 1];
  if (!last) return undefined;
  return { sequence: Number(last[1]), ...(JSON.parse(last[2] as string) as LoopBlock) };
}

function summarize(result: ScaleCall): void {
  const perRun = (series: Series) => {
    const runs: number[][] = [];
    series.forEach((value, index) => {
      const run = Math.floor(index / options.rounds);
      if (value !== null) (runs[run] ??= []).push(value);
    });
    return runs;
  };
  const ratios = (ours: Series, theirs: Series) =>
    ours.map((ms, index) => ratio(ms ?? undefined, theirs[index] ?? undefined) ?? null);
  result.summary = {
    ms: spread(result.ms.filter((value) => value !== null)),
    floorMs: spread(result.floorMs.filter((value) => value !== null)),
    parsedFloorMs: spread(result.parsedFloorMs.filter((value) => value !== null)),
    ratio: pooled(perRun(ratios(result.ms, lowerEachRound(result.floorMs, result.parsedFloorMs)))),
    ratioToParsed: pooled(perRun(ratios(result.ms, result.parsedFloorMs))),
    parsedOverFloor: pooled(perRun(ratios(result.parsedFloorMs, result.floorMs))),
    peakRssMiB: pooled(
      perRun(result.peakRssKiB.map((kib) => (kib === null ? null : Math.round(kib / 1024)))),
    ),
    longestBlockMs: pooled(perRun(result.longestBlockMs)),
    longestDelayMs: pooled(perRun(result.longestDelayMs)),
  };
}

/** Round by round, the lower of two floors: a floor doing more work and taking less time shows the other's is not the least. */
function lowerEachRound(floor: Series, other: Series): Series {
  return floor.map((ms, index) => {
    const alternative = other[index] ?? null;
    if (ms === null || alternative === null) return ms ?? alternative;
    return Math.min(ms, alternative);
  });
}

function table(scale: ScaleResults): string {
  const cell = (
    { pooled: p, runMedians }: { pooled: { median: number; p10: number; p90: number }; runMedians: number[] },
    unit: string,
  ) => `${p.median}${unit} (${p.p10}–${p.p90}${unit}); runs ${runMedians.join(", ")}`;
  const lines = [
    `fleet: ${scale.fleet.fluxObjects} Flux objects, ${scale.fleet.apiObjects} API objects, built in ${scale.fleet.buildSeconds} s; floor client ${scale.floorClient.used}`,
    "| call | time | raw API | time ÷ raw API (the lower floor of each round) | raw API, Node, parsed | time ÷ parsed | parsed ÷ raw API | peak RSS | longest block (CPU) | longest delay (clock) | answer |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    ...scale.calls.map(
      (call) =>
        `| ${call.id} | ${call.summary.ms.median} ms (${call.summary.ms.p10}–${call.summary.ms.p90}) | ${call.summary.floorMs.median} ms (${call.summary.floorMs.p10}–${call.summary.floorMs.p90}) | ${cell(call.summary.ratio, "×")} | ${call.summary.parsedFloorMs.median} ms (${call.summary.parsedFloorMs.p10}–${call.summary.parsedFloorMs.p90}) | ${cell(call.summary.ratioToParsed, "×")} | ${cell(call.summary.parsedOverFloor, "×")} | ${cell(call.summary.peakRssMiB, " MiB")} | ${cell(call.summary.longestBlockMs, " ms")} | ${cell(call.summary.longestDelayMs, " ms")} | ${call.outputChars} chars, ${call.pages} call(s)${call.errors.length > 0 ? `; errors: ${call.errors[0]}` : ""} |`,
    ),
  ];
  lines.push(
    "",
    "raw API, Node, parsed: the same requests from Node's https client (keep-alive, a worker thread), every body JSON.parsed, timed to the last parse; where it takes less time than the faster client's transfer alone (many small requests at once), the round's ratio is taken over it",
  );
  const paged = scale.calls.filter((call) => call.pages > 1);
  if (paged.length > 0) {
    lines.push(
      "",
      `raw API of ${paged.map((call) => call.id).join(", ")}: the same list in as many pages as the tool's answers, each page's limit that answer's rows, following the continue token one request after the other (not one list of everything)`,
    );
  }
  return `${lines.join("\n")}\n`;
}

main().catch((error: unknown) => {
  console.error(`scale: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  killAllServers();
  process.exit(1);
});
