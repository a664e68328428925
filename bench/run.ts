// `npm run bench`: flux-mcp and two peer MCP servers side by side, over stdio, against the same
// in-memory API server (the demo fleet plus a generated fleet of 10,000 Flux objects). Three runs by
// default; in each, cold starts (fresh processes, servers in rotated order) and then the standard
// questions, each asked of every server and of the raw API in turn, who goes first rotated each
// round. Prints the tables, writes results.json and README-section.md. Not part of the test suite.
//
//   node bench/run.ts [--runs N] [--spawns N] [--rounds N] [--quick]
//                     [--servers flux-mcp,kubernetes-mcp-server,mcp-server-kubernetes]
//                     [--out DIR]    (where results.json and README-section.md go; default bench/,
//                                     with --quick a temporary directory)
//                     [--dump DIR]   (also write every answer's text to DIR, to read what each server said)
//                     [--rerender]   (no measuring: rewrite the files from DIR's results.json and
//                                     bench/changes.json, after the report or the changes were edited)
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchArguments } from "./arguments.ts";
import { demoClusterSources, loadCluster, startApiServer } from "@flux-mcp/kube-emulator";
import { buildFleetCluster, FLEET_NAMESPACES } from "./fleet.ts";
import { checkFloorClients, CurlClient, FloorThread, type FloorClient } from "./floor.ts";
import { measureNodeStart } from "./node-start.ts";
import { killAllServers, pause } from "./mcp-session.ts";
import { measureColdStart, QuestionSession, type Target } from "./measure-server.ts";
import { roundMs, rotated, spread, TOKENIZER, tokens } from "./numbers.ts";
import { FLEET_CONTEXT, standardQuestions, type Question } from "./questions.ts";
import { markdownReport } from "./report.ts";
import {
  machineEnvironment,
  writeResults,
  type BenchResults,
  type FloorResult,
  type RunResult,
} from "./results.ts";
import { summarize } from "./summary.ts";
import { fluxMcp } from "./servers/flux-mcp.ts";
import { kubernetesMcpServer } from "./servers/kubernetes-mcp-server.ts";
import { mcpServerKubernetes } from "./servers/mcp-server-kubernetes.ts";
import { sdkFloor } from "./servers/sdk-floor.ts";
import type { HandshakeReference, ServerUnderTest } from "./servers/server.ts";

const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));
const ALL_SERVERS: ServerUnderTest[] = [fluxMcp, kubernetesMcpServer, mcpServerKubernetes];
const COMMAND = "npm run bench";

const values = benchArguments(import.meta.url, {
  runs: { type: "string" },
  spawns: { type: "string" },
  rounds: { type: "string" },
  quick: { type: "boolean", default: false },
  servers: { type: "string" },
  out: { type: "string" },
  dump: { type: "string" },
  rerender: { type: "boolean", default: false },
});
const quick = values.quick;
const options = {
  runs: Number(values.runs ?? (quick ? 1 : 3)),
  spawns: Number(values.spawns ?? (quick ? 2 : 8)),
  rounds: Number(values.rounds ?? (quick ? 1 : 5)),
  quick,
};
for (const [name, value] of Object.entries(options)) {
  if (typeof value === "number" && !(Number.isInteger(value) && value >= 1)) {
    throw new Error(`--${name} must be a whole number of at least 1`);
  }
}
const wanted = values.servers?.split(",") ?? ALL_SERVERS.map((server) => server.id);
const servers = ALL_SERVERS.filter((server) => wanted.includes(server.id));

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    killAllServers();
    process.exit(130);
  });
}
process.on("exit", killAllServers);

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);

async function main(): Promise<void> {
  if (values.rerender) return rerender(values.out ?? BENCH_DIR);
  const started = performance.now();
  const now = new Date();
  log("loading the demo fleet and generating the large one…");
  const demo = await Promise.all(demoClusterSources().map((source) => loadCluster(source, now)));
  const fleetStarted = performance.now();
  const fleet = await buildFleetCluster(FLEET_CONTEXT, now);
  const fleetBuildSeconds = Number(((performance.now() - fleetStarted) / 1000).toFixed(2));
  const apiServer = await startApiServer({ clusters: [...demo, fleet.cluster], simulation: false });
  const directory = await mkdtemp(join(tmpdir(), "flux-mcp-bench-"));
  const outDirectory = values.out ?? (quick ? directory : BENCH_DIR);
  try {
    const kubeconfig = apiServer.kubeconfig();
    const kubeconfigPath = join(directory, "kubeconfig.yaml");
    await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
    const questions = standardQuestions(fleet.summary);
    const heaviest = questions.find((question) => question.context === FLEET_CONTEXT) as Question;
    // The heaviest last in each round, so that a server's memory after a round has seen it.
    const ordered = [...questions.filter((question) => question !== heaviest), heaviest];
    if (values.dump !== undefined) await mkdir(values.dump, { recursive: true });
    const reference = await sdkFloor(directory);

    log("the floor's clients, Node and curl, on the largest list…");
    const clients = [new FloorThread(kubeconfig), new CurlClient(kubeconfig, directory)];
    const floorClient = await checkFloorClients(clients, heaviest.context, heaviest.floor[0] as string);
    const raw = clients.find((client) => client.name === floorClient.used) as FloorClient;
    await Promise.all(clients.filter((client) => client !== raw).map((client) => client.close()));

    const runs: RunResult[] = [];
    for (let run = 1; run <= options.runs; run++) {
      log(`run ${run} of ${options.runs}`);
      runs.push(await oneRun(run, { kubeconfigPath, directory, reference, raw, questions: ordered }));
    }
    await raw.close();

    const results: BenchResults = {
      generatedAt: now.toISOString(),
      command: quick ? `${COMMAND} -- --quick` : COMMAND,
      options,
      durationSeconds: Math.round((performance.now() - started) / 1000),
      environment: machineEnvironment(),
      tokenizer: TOKENIZER,
      client: "@modelcontextprotocol/sdk Client over StdioClientTransport",
      floorClient,
      fleet: {
        namespaces: FLEET_NAMESPACES.length,
        fluxObjects: fleet.summary.fluxObjects,
        kustomizations: fleet.summary.kustomizations,
        apiObjects: fleet.summary.apiObjects,
        buildSeconds: fleetBuildSeconds,
      },
      runs,
      summary: summarize(runs, questions),
      changes: await readChanges(),
      ...(await previousScale(outDirectory)),
    };
    await writeOutputs(results, questions, outDirectory);
    log(`done in ${results.durationSeconds} s: ${join(outDirectory, "results.json")}, README-section.md`);
  } finally {
    killAllServers();
    await apiServer.close();
    await rm(directory, { recursive: true, force: true });
  }
}

interface RunSetup {
  kubeconfigPath: string;
  directory: string;
  reference: HandshakeReference;
  raw: FloorClient;
  questions: Question[];
}

async function oneRun(run: number, setup: RunSetup): Promise<RunResult> {
  const started = performance.now();
  const target = async <Server extends HandshakeReference>(server: Server): Promise<Target<Server>> => {
    const home = join(setup.directory, `home-${server.id}`);
    await mkdir(home, { recursive: true });
    const skipped = server.unavailable();
    return {
      server,
      launch: server.launch(setup.kubeconfigPath, home),
      result: { id: server.id, label: server.label, ...(skipped && { skipped }), questions: {} },
      ...(values.dump !== undefined && run === 1 && { dumpDirectory: values.dump }),
    };
  };
  const targets = await Promise.all(servers.map(target));
  const reference = await target(setup.reference);
  reference.result.reference = true;

  log(`  cold starts: ${options.spawns} per server, in rotated order…`);
  const starting: Target<HandshakeReference>[] = [...targets, reference];
  for (let round = 0; round < options.spawns; round++) {
    for (const each of rotated(starting, round + run)) await measureColdStart(each);
  }
  const nodeStartMs = (await measureNodeStart(options.spawns)).ms;

  log(`  questions: ${options.rounds} rounds, every question asked of each server in turn…`);
  const sessions: QuestionSession[] = [];
  for (const each of targets) sessions.push(await QuestionSession.open(each));
  const floor: Partial<Record<Question["id"], FloorResult>> = {};
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (const [index, question] of setup.questions.entries()) {
        const turns = [
          ...sessions.map((session) => () => session.ask(question, round)),
          () => askFloor(setup.raw, question, round, floor),
        ];
        for (const turn of rotated(turns, round + index + run)) await turn();
      }
    }
  } finally {
    for (const session of sessions) await session.close();
  }
  return {
    run,
    durationSeconds: Math.round((performance.now() - started) / 1000),
    nodeStartMs,
    servers: [...targets, reference].map((each) => each.result),
    floor,
  };
}

/** The raw API requests behind a question, after the same pause as a server's call. */
async function askFloor(
  raw: FloorClient,
  question: Question,
  round: number,
  floor: Partial<Record<Question["id"], FloorResult>>,
): Promise<void> {
  const result = (floor[question.id] ??= {
    context: question.context,
    requests: question.floor,
    latencyMs: [],
    latency: spread([]),
    bytes: 0,
    tokens: 0,
  });
  await pause();
  try {
    const answer = await raw.getAll(question.context, question.floor, round === 0);
    result.latencyMs.push(roundMs(answer.ms));
    if (round === 0) {
      result.bytes = answer.bytes;
      result.tokens = tokens(answer.body);
    }
  } catch (error) {
    result.latencyMs.push(null);
    result.error = (error as Error).message;
  }
  result.latency = spread(result.latencyMs.filter((value) => value !== null));
}

async function writeOutputs(
  results: BenchResults,
  questions: Question[],
  outDirectory: string,
): Promise<void> {
  const report = markdownReport(results, questions);
  await mkdir(outDirectory, { recursive: true });
  await writeResults(results, join(outDirectory, "results.json"));
  await writeFile(join(outDirectory, "README-section.md"), readmeSection(results, report));
  console.log(report);
}

/** The before/after figures of past changes, measured apart from the bench (bench/changes.json). */
async function readChanges(): Promise<BenchResults["changes"]> {
  const text = await readFile(join(BENCH_DIR, "changes.json"), "utf8").catch(() => "[]");
  return JSON.parse(text) as BenchResults["changes"];
}

/** The figures at scale (bench/scale.ts) are measured apart: a new bench run keeps them. */
async function previousScale(outDirectory: string): Promise<Pick<BenchResults, "scale">> {
  const text = await readFile(join(outDirectory, "results.json"), "utf8").catch(() => "{}");
  const { scale } = JSON.parse(text) as Partial<BenchResults>;
  return scale ? { scale } : {};
}

async function rerender(outDirectory: string): Promise<void> {
  const results = JSON.parse(await readFile(join(outDirectory, "results.json"), "utf8")) as BenchResults;
  const fleet = await buildFleetCluster(FLEET_CONTEXT, new Date(results.generatedAt));
  const questions = standardQuestions(fleet.summary);
  await writeOutputs({ ...results, changes: await readChanges() }, questions, outDirectory);
}

function readmeSection(results: BenchResults, report: string): string {
  const { environment, fleet } = results;
  const thousands = (value: number) => value.toLocaleString("en-US");
  return `## Performance

\`${COMMAND}\` serves the demo fleet and a generated fleet of ${thousands(fleet.fluxObjects)} Flux objects in
${fleet.namespaces} namespaces (${thousands(fleet.apiObjects)} API objects with their workloads, pods and events) from the
in-memory API server, and runs flux-mcp and two other Kubernetes MCP servers side by side over stdio,
against the same kubeconfig:
[kubernetes-mcp-server](https://github.com/containers/kubernetes-mcp-server) (Go) and
[mcp-server-kubernetes](https://github.com/Flux159/mcp-server-kubernetes) (TypeScript). Each server
answers the same questions with the calls an assistant would make from its tool descriptions
([bench/QUESTIONS.md](bench/QUESTIONS.md)); the floor is the raw Kubernetes API requests for the same
data. The cold-start table also has the smallest server on the official MCP SDK for Node
([bench/startup-floor](bench/startup-floor/sdk-server.ts), bundled the same way). Tokens are counted
with the ${results.tokenizer} encoding.

Nothing here is one run's number: ${results.options.runs} run(s), each with ${results.options.spawns} cold starts per
server and ${results.options.rounds} rounds of questions; servers take turns within every round and who goes first
rotates, every time is a median with its 10th–90th percentile, and every ratio is taken pair by pair
within a round. Machines are noisy: read the spreads, and compare ratios rather than times; before
quoting a figure, re-run \`${COMMAND}\` on a quiet machine (the load average below says how busy this
one was). \`${COMMAND} -- --quick\` is a smoke run of a few seconds, not a measurement.

Latest run: ${results.generatedAt.slice(0, 10)}, ${environment.cpuModel} (${environment.cpus} CPUs, load average
${environment.loadAverage.join(", ")} at the end), Node ${environment.node}, ${results.durationSeconds} s.

${report}

Every measurement, round by round and run by run, is in [bench/results.json](bench/results.json).
`;
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  killAllServers();
  process.exit(1);
});
