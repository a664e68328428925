// `npm run bench`: flux-mcp and two peer MCP servers side by side, over stdio, against the same
// in-memory API server (the demo fleet plus a generated fleet of 10,000 Flux objects). Prints the
// tables, writes bench/results.json and bench/README-section.md. Not part of the test suite.
//
//   node bench/run.ts [--spawns N] [--servers flux-mcp,kubernetes-mcp-server,mcp-server-kubernetes]
//                     [--dump DIR]   (also write every answer's text to DIR, to read what each server said)
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { format, resolveConfig } from "prettier";
import { demoClusterSources, loadCluster, startApiServer } from "@flux-mcp/kube-emulator";
import { buildFleetCluster, FLEET_NAMESPACES } from "./fleet.ts";
import { RawApiClient } from "./floor.ts";
import { measureNodeStart } from "./node-start.ts";
import { killAllServers, pause } from "./mcp-session.ts";
import { measureHandshake, measureQuestions, type Target } from "./measure-server.ts";
import { median, roundMs, TOKENIZER, tokens } from "./numbers.ts";
import { FLEET_CONTEXT, FLOOR_REPETITIONS, standardQuestions, type Question } from "./questions.ts";
import { computeRatios, markdownReport } from "./report.ts";
import type { BenchResults } from "./results.ts";
import { fluxMcp } from "./servers/flux-mcp.ts";
import { kubernetesMcpServer } from "./servers/kubernetes-mcp-server.ts";
import { mcpServerKubernetes } from "./servers/mcp-server-kubernetes.ts";
import { sdkFloor } from "./servers/sdk-floor.ts";
import type { HandshakeReference, ServerUnderTest } from "./servers/server.ts";

const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));
const ALL_SERVERS: ServerUnderTest[] = [fluxMcp, kubernetesMcpServer, mcpServerKubernetes];
const COMMAND = "npm run bench";

const { values } = parseArgs({
  options: {
    spawns: { type: "string", default: "10" },
    servers: { type: "string" },
    dump: { type: "string" },
  },
});
const spawns = Number(values.spawns);
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
  const started = performance.now();
  const now = new Date();
  log("loading the demo fleet and generating the large one…");
  const demo = await Promise.all(demoClusterSources().map((source) => loadCluster(source, now)));
  const fleet = await buildFleetCluster(FLEET_CONTEXT, now);
  const apiServer = await startApiServer({ clusters: [...demo, fleet.cluster], simulation: false });
  const directory = await mkdtemp(join(tmpdir(), "flux-mcp-bench-"));
  try {
    const kubeconfig = apiServer.kubeconfig();
    const kubeconfigPath = join(directory, "kubeconfig.yaml");
    await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
    const questions = standardQuestions(fleet.summary);
    const heaviest = questions.find((question) => question.context === FLEET_CONTEXT) as Question;

    if (values.dump !== undefined) await mkdir(values.dump, { recursive: true });
    const target = async <Server extends HandshakeReference>(server: Server): Promise<Target<Server>> => {
      const home = join(directory, `home-${server.id}`);
      await mkdir(home);
      const skipped = server.unavailable();
      return {
        server,
        launch: server.launch(kubeconfigPath, home),
        result: { id: server.id, label: server.label, ...(skipped && { skipped }), questions: {} },
        ...(values.dump !== undefined && { dumpDirectory: values.dump }),
      };
    };
    const targets = await Promise.all(servers.map(target));
    // How long any SDK-based Node server takes, to read flux-mcp's own share of its start against.
    const reference = await target(await sdkFloor(directory));
    reference.result.reference = true;

    log(`handshakes: ${spawns} spawns per server, taking turns…`);
    for (let spawn = 0; spawn < spawns; spawn++) {
      for (const each of [...targets, reference]) await measureHandshake(each);
    }
    const nodeStart = await measureNodeStart(spawns);
    for (const each of targets) {
      log(`questions: ${each.server.label}…`);
      await measureQuestions(each, questions, heaviest);
    }
    log("floor: the same data straight from the API…");
    const floor = await measureFloor(new RawApiClient(kubeconfig), questions);

    const serverResults = [...targets, reference].map((each) => each.result);
    const results: BenchResults = {
      generatedAt: now.toISOString(),
      command: COMMAND,
      durationSeconds: Math.round((performance.now() - started) / 1000),
      environment: {
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? "unknown",
      },
      nodeStart,
      tokenizer: TOKENIZER,
      client: "@modelcontextprotocol/sdk Client over StdioClientTransport",
      fleet: {
        namespaces: FLEET_NAMESPACES.length,
        fluxObjects: fleet.summary.fluxObjects,
        kustomizations: fleet.summary.kustomizations,
        apiObjects: fleet.summary.apiObjects,
      },
      servers: serverResults,
      floor,
      ratios: computeRatios(serverResults, floor, questions),
    };
    const report = markdownReport(results, questions);
    await writeResults(results);
    await writeFile(join(BENCH_DIR, "README-section.md"), readmeSection(results, report));
    console.log(report);
    log(`done in ${results.durationSeconds} s: bench/results.json, bench/README-section.md`);
  } finally {
    killAllServers();
    await apiServer.close();
    await rm(directory, { recursive: true, force: true });
  }
}

async function measureFloor(raw: RawApiClient, questions: Question[]): Promise<BenchResults["floor"]> {
  const floor: BenchResults["floor"] = {};
  try {
    for (const question of questions) {
      try {
        const first = await raw.getAll(question.context, question.floor);
        const latencyMs: number[] = [];
        for (let repetition = 0; repetition < FLOOR_REPETITIONS; repetition++) {
          // After the same pause as every server's call, so that both meet the API server alike.
          await pause();
          latencyMs.push(roundMs((await raw.getAll(question.context, question.floor)).ms));
        }
        floor[question.id] = {
          context: question.context,
          requests: question.floor,
          latencyMs,
          medianMs: median(latencyMs),
          bytes: first.bytes,
          tokens: tokens(first.body),
        };
      } catch (error) {
        floor[question.id] = {
          context: question.context,
          requests: question.floor,
          latencyMs: [],
          medianMs: NaN,
          bytes: 0,
          tokens: 0,
          error: (error as Error).message,
        };
      }
    }
  } finally {
    raw.close();
  }
  return floor;
}

async function writeResults(results: BenchResults): Promise<void> {
  const path = join(BENCH_DIR, "results.json");
  const options = (await resolveConfig(path)) ?? {};
  await writeFile(path, await format(JSON.stringify(results), { ...options, parser: "json" }));
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
answers the same questions with its own closest tools ([bench/QUESTIONS.md](bench/QUESTIONS.md)); the
floor is the raw Kubernetes API requests for the same data. The startup table also has the smallest
server on the official MCP SDK for Node ([bench/startup-floor](bench/startup-floor/sdk-server.ts),
bundled the same way): the start a Node server on that SDK pays before any code of its own (flux-mcp
starts sooner by leaving the SDK's Ajv validator unloaded until used). Tokens are counted with the
${results.tokenizer} encoding; latencies are medians. Machines are noisy: compare the ratios.

Latest run: ${results.generatedAt.slice(0, 10)}, ${environment.cpuModel} (${environment.cpus} CPUs),
Node ${environment.node}, ${results.durationSeconds} s.

${report}

Every measurement, repetition by repetition, is in [bench/results.json](bench/results.json).
`;
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  killAllServers();
  process.exit(1);
});
