// `npm run bench:http`: the built server under HTTP load. It serves the in-memory API server's demo
// fleet (and the 10k fleet, with --fleet) over Streamable HTTP, pinned to one core (taskset -c 0,
// the load script on the other cores), while 20 sessions of the official MCP client ask the
// standard questions in a loop, back to back, for a fixed time. Reported per run: questions
// answered per second, the server's CPU time a question, its event-loop delay (p50, p99, max) and
// its GC pauses as a share of the window and of the loop's busy time, measured inside the server by
// bench/http-load-probe.ts. Several builds or Node flag sets are measured in turns, who goes first
// rotated each run, so that machine noise does not land on one of them. On a machine shared with
// other work, read the CPU a question: questions/s and loop delays move with the neighbours. Not
// part of the test suite.
//
// The floor takes its turn in every run too: a Node + official MCP SDK server served the same way
// (bench/http-floor/sdk-http-server.ts, bundled as flux-mcp is) with one tool per question that
// sends only that question's raw Kubernetes API requests (the raw API floor of `npm run bench`),
// JSON-parses the answers and says how many objects came: no masking, no formatting. Its
// questions/s is the most a Node + SDK server reading the same data serves on this machine; each
// build is reported ÷ the floor, paired per run. The floor may leave part of its core idle when the
// load script (20 clients and the API server on the other cores) cannot ask faster: then its CPU a
// question, and the questions a core's second would serve at that cost (1000 ms ÷ CPU a question),
// are its ceiling, not its questions/s. Its answers carry no key facts and are not checked for
// them. --no-floor leaves it out (to compare builds only). --credential-files gives flux-mcp a
// kubeconfig whose CA, client certificate and key are files, as a pod's service account token and
// CA are, to measure what reading them costs; the floor keeps the kubeconfig it decodes once.
//
//   node bench/http-load.ts [--runs 3] [--duration 20] [--warmup 5] [--sessions 20] [--fleet]
//                           [--cli dist/cli.js]...       (builds to compare, in turns)
//                           [--node-flags=--max-semi-space-size=64]...  (flag sets to compare;
//                                                        --node-flags= is Node's defaults)
//                           [--no-floor]                 (no Node + SDK floor server)
//                           [--credential-files]         (flux-mcp's kubeconfig names its CA, client
//                                                       certificate and key as files, as a pod's are)
//                           [--revision 2026-07-28]      (the stateless protocol instead of sessions)
//                           [--cpu-prof DIR]             (profile the server; print its top functions)
//                           [--out FILE]                 (write every figure as JSON)
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { benchArguments } from "./arguments.ts";
import { withCredentialFiles } from "./credential-files.ts";
import { Worker } from "node:worker_threads";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import type { ApiServerReady } from "./http-load-apiserver.ts";
import type { ProbeReport } from "./http-load-probe.ts";
import { formatProfile, summarizeProfile } from "./cpu-profile.ts";
import { percentile, rotated } from "./numbers.ts";
import { machineEnvironment } from "./results.ts";
import { DEMO_CONTEXT, FLEET_CONTEXT, standardQuestions, type Question } from "./questions.ts";
import { bundleLikeFluxMcp } from "./bundle.ts";
import type { FloorQuestion } from "./http-floor/sdk-http-server.ts";
import { cleanEnvironment, type ToolCall } from "./servers/server.ts";
import { fluxMcp } from "./servers/flux-mcp.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PROBE = fileURLToPath(new URL("http-load-probe.ts", import.meta.url));
const FLOOR_SOURCE = fileURLToPath(new URL("http-floor/sdk-http-server.ts", import.meta.url));
const FLOOR_LABEL = "floor: Node + MCP SDK, raw API requests";
const MODERN_REVISION = "2026-07-28";
const CALL_TIMEOUT_MS = 120_000;
const MAX_PAGES = 100;

const values = benchArguments(import.meta.url, {
  runs: { type: "string", default: "3" },
  duration: { type: "string", default: "20" },
  warmup: { type: "string", default: "5" },
  sessions: { type: "string", default: "20" },
  fleet: { type: "boolean", default: false },
  "no-floor": { type: "boolean", default: false },
  "credential-files": { type: "boolean", default: false },
  cli: { type: "string", multiple: true },
  "node-flags": { type: "string", multiple: true },
  revision: { type: "string" },
  "cpu-prof": { type: "string" },
  out: { type: "string" },
});
const options = {
  runs: wholeNumber("runs", values.runs),
  durationMs: wholeNumber("duration", values.duration) * 1000,
  warmupMs: wholeNumber("warmup", values.warmup) * 1000,
  sessions: wholeNumber("sessions", values.sessions),
};

interface Variant {
  label: string;
  /** The script Node runs: a flux-mcp build, or the floor's bundle. */
  cli: string;
  nodeFlags: string[];
  floor: boolean;
}

const builds: Variant[] = (values.cli ?? ["dist/cli.js"]).flatMap((cli) =>
  (values["node-flags"] ?? [""]).map((flags) => ({
    label: `${cli}${flags ? ` ${flags}` : ""}`,
    cli: resolve(ROOT, cli),
    nodeFlags: flags.split(/\s+/).filter(Boolean),
    floor: false,
  })),
);
/** The floor runs with Node's defaults: no flag set of ours makes it slower or faster. */
const floorVariant: Variant | undefined = values["no-floor"]
  ? undefined
  : { label: FLOOR_LABEL, cli: "", nodeFlags: [], floor: true };
const variants: Variant[] = floorVariant ? [...builds, floorVariant] : builds;

interface RunFigures {
  variant: string;
  run: number;
  questions: number;
  questionsPerSecond: number;
  /** Client-side time of each question (its calls), in the window. */
  questionMs: { p50: number; p99: number };
  failures: number;
  /** Answers missing one of the question's key facts: a faster server must still answer. */
  missingFacts: number;
  probe: ProbeReport;
  gcShareOfWindow: number;
  /**
   * GC pauses over the time the event loop was busy: both wall-clock times, so the share holds on a
   * machine where the server waits for its core (pauses over CPU time would not).
   */
  gcShareOfBusy: number;
  /**
   * The server's CPU time per question answered: on a machine shared with other work the server
   * gets only part of its core, so questions/s moves with the neighbours; this moves far less.
   */
  cpuMsPerQuestion: number;
}

const log = (message: string) => process.stderr.write(`bench:http: ${message}\n`);

/** Servers started and not yet stopped: killed if the load script is interrupted. */
const servers = new Set<ChildProcess>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    for (const server of servers) server.kill("SIGKILL");
    process.exit(130);
  });
}

async function main(): Promise<void> {
  for (const variant of builds) {
    if (!existsSync(variant.cli)) throw new Error(`${variant.cli} is missing: run npm run build`);
  }
  const pinning = pinToCores();
  log(pinning.description);
  const directory = await mkdtemp(join(tmpdir(), "flux-mcp-http-load-"));
  const apiServer = new Worker(new URL("http-load-apiserver.ts", import.meta.url));
  try {
    log("loading the demo fleet and generating the 10k one…");
    const ready = await new Promise<ApiServerReady>((resolve, reject) => {
      apiServer.once("message", resolve);
      apiServer.once("error", reject);
    });
    const kubeconfigPath = join(directory, "kubeconfig.yaml");
    await writeFile(kubeconfigPath, ready.kubeconfig, { mode: 0o600 });
    const serverKubeconfigPath = values["credential-files"]
      ? await withCredentialFiles(ready.kubeconfig, directory)
      : kubeconfigPath;
    const questions = standardQuestions(ready.fleet).filter(
      (question) => question.context === DEMO_CONTEXT || (values.fleet && question.context === FLEET_CONTEXT),
    );
    if (floorVariant) {
      floorVariant.cli = join(directory, "sdk-http-floor.js");
      await bundleLikeFluxMcp(FLOOR_SOURCE, floorVariant.cli);
      const floorQuestions: FloorQuestion[] = questions.map(({ id, context, floor }) => ({
        id,
        context,
        paths: floor,
      }));
      await writeFile(join(directory, "floor-questions.json"), JSON.stringify(floorQuestions));
    }
    log(
      `${questions.length} questions (${values.fleet ? "demo fleet and 10k fleet" : "demo fleet"}), ${options.sessions} sessions, ` +
        `${options.warmupMs / 1000} s warm-up + ${options.durationMs / 1000} s measured, ${options.runs} run(s) of ${variants.length} variant(s)`,
    );
    const figures: RunFigures[] = [];
    for (let run = 1; run <= options.runs; run++) {
      for (const variant of rotated(variants, run - 1)) {
        const result = await measure(variant, run, {
          directory,
          kubeconfigPath,
          serverKubeconfigPath,
          questions,
          pinned: pinning.server,
        });
        figures.push(result);
        log(`  run ${run}, ${variant.label}: ${describeRun(result)}`);
      }
    }
    const report = summaryTable(figures);
    process.stdout.write(
      `\n${pinning.description}\nload average at the end: ${loadavg()
        .map((value) => value.toFixed(2))
        .join(", ")}\n\n${report}\n`,
    );
    if (values.out !== undefined) {
      await writeFile(
        values.out,
        `${JSON.stringify({ generatedAt: new Date().toISOString(), ...machineEnvironment(), pinning: pinning.description, options: { ...options, fleet: values.fleet, revision: values.revision ?? "session (2025)" }, runs: figures }, null, 2)}\n`,
      );
    }
  } finally {
    apiServer.postMessage("close");
    await rm(directory, { recursive: true, force: true });
  }
}

interface Pinning {
  /** Prefix of the server's command line. */
  server: string[];
  description: string;
}

/** The server on CPU 0, this script (every thread of it) on the others, when taskset is there. */
function pinToCores(): Pinning {
  const count = cpus().length;
  const available = spawnSync("taskset", ["-V"]).status === 0;
  if (!available)
    return { server: [], description: "taskset not available: the server is NOT pinned to one core" };
  if (count < 2) {
    return {
      server: ["taskset", "-c", "0"],
      description: "server pinned to CPU 0 with taskset; the load shares it (1 CPU)",
    };
  }
  const others = `1-${count - 1}`;
  spawnSync("taskset", ["-a", "-p", "-c", others, String(process.pid)]);
  return {
    server: ["taskset", "-c", "0"],
    description: `server pinned to CPU 0 with taskset -c 0; load script and API server on CPU ${others} (${count} CPUs, shared with whatever else runs)`,
  };
}

interface MeasureSetup {
  directory: string;
  kubeconfigPath: string;
  /** flux-mcp's kubeconfig: the same, or with its credentials in files (--credential-files). */
  serverKubeconfigPath: string;
  questions: Question[];
  pinned: string[];
}

async function measure(variant: Variant, run: number, setup: MeasureSetup): Promise<RunFigures> {
  const probeFile = join(setup.directory, `probe-${run}-${variants.indexOf(variant)}.json`);
  const profileDirectory =
    values["cpu-prof"] === undefined
      ? undefined
      : join(values["cpu-prof"], `${variants.indexOf(variant)}-run${run}`);
  if (profileDirectory !== undefined) await mkdir(profileDirectory, { recursive: true });
  const home = join(setup.directory, "home");
  await mkdir(home, { recursive: true });
  const [command, ...prefix] = [...setup.pinned, process.execPath];
  const serverArguments = variant.floor
    ? [
        "--port",
        "0",
        "--kubeconfig",
        setup.kubeconfigPath,
        "--questions",
        join(setup.directory, "floor-questions.json"),
      ]
    : [
        "serve",
        "--transport",
        "http",
        "--port",
        "0",
        "--kubeconfig",
        setup.serverKubeconfigPath,
        "--kube-context",
        DEMO_CONTEXT,
      ];
  const server = spawn(
    command as string,
    [
      ...prefix,
      ...variant.nodeFlags,
      ...(profileDirectory !== undefined ? ["--cpu-prof", "--cpu-prof-dir", profileDirectory] : []),
      "--import",
      PROBE,
      variant.cli,
      ...serverArguments,
    ],
    { env: cleanEnvironment(home, { FLUX_MCP_LOAD_PROBE: probeFile }), stdio: ["ignore", "ignore", "pipe"] },
  );
  servers.add(server);
  try {
    const url = await listeningUrl(server);
    const clients = await Promise.all(Array.from({ length: options.sessions }, () => connect(url)));
    const load = new Load(clients, setup.questions, variant.floor);
    const running = load.start();
    await sleep(options.warmupMs);
    server.kill("SIGUSR2");
    load.openWindow();
    await sleep(options.durationMs);
    server.kill("SIGUSR2");
    load.closeWindow();
    await running;
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    const probe = JSON.parse(await waitForFile(probeFile)) as ProbeReport;
    const window = load.window();
    return {
      variant: variant.label,
      run,
      questions: window.count,
      questionsPerSecond: round(window.count / (probe.windowMs / 1000)),
      questionMs: { p50: round(percentile(window.ms, 0.5)), p99: round(percentile(window.ms, 0.99)) },
      failures: load.failures.length,
      missingFacts: load.missingFacts,
      probe,
      gcShareOfWindow: round(probe.gc.totalMs / probe.windowMs, 4),
      gcShareOfBusy: round(probe.gc.totalMs / (probe.windowMs * probe.loopUtilization), 4),
      cpuMsPerQuestion: round(probe.cpuMs / window.count),
    };
  } finally {
    await stop(server);
    servers.delete(server);
    if (profileDirectory !== undefined) await printProfile(profileDirectory, variant, run);
  }
}

/** The sessions' loops: each asks the questions in turn, from its own starting point, until stopped. */
class Load {
  readonly #clients: Client[];
  readonly #questions: Question[];
  /** Asking the floor: one call of the question's own tool, whose answer has no facts to check. */
  readonly #floor: boolean;
  #stopping = false;
  #windowOpen = false;
  readonly #windowMs: number[] = [];
  readonly failures: string[] = [];
  missingFacts = 0;

  constructor(clients: Client[], questions: Question[], floor: boolean) {
    this.#clients = clients;
    this.#questions = questions;
    this.#floor = floor;
  }

  start(): Promise<void> {
    return Promise.all(this.#clients.map((client, index) => this.#loop(client, index))).then(() => undefined);
  }

  openWindow(): void {
    this.#windowOpen = true;
  }

  /** Closes the window and stops the loops after the question each is asking. */
  closeWindow(): void {
    this.#windowOpen = false;
    this.#stopping = true;
  }

  window(): { count: number; ms: number[] } {
    return { count: this.#windowMs.length, ms: this.#windowMs };
  }

  async #loop(client: Client, start: number): Promise<void> {
    for (let turn = start; !this.#stopping; turn++) {
      const question = this.#questions[turn % this.#questions.length] as Question;
      const inWindow = this.#windowOpen;
      const started = performance.now();
      const answer = await this.#ask(client, question);
      const ms = performance.now() - started;
      // Counted when it started and ended inside the window: the window's rate, not the warm-up's.
      if (inWindow && this.#windowOpen) this.#windowMs.push(ms);
      if (answer.error !== undefined) {
        this.failures.push(`${question.id}: ${answer.error}`);
        if (this.failures.length === 1) log(`  first failure: ${question.id}: ${answer.error}`);
      } else if (!this.#floor && !question.facts.every((fact) => fact.test(answer.text))) {
        this.missingFacts++;
      }
    }
  }

  async #ask(client: Client, question: Question): Promise<{ text: string; error?: string }> {
    const texts: string[] = [];
    const calls = this.#floor ? [{ tool: question.id, args: {} }] : fluxMcp.calls[question.id];
    for (const call of calls) {
      const error = await callWithPages(client, call, texts);
      if (error !== undefined) return { text: texts.join("\n"), error };
    }
    return { text: texts.join("\n") };
  }
}

async function callWithPages(client: Client, call: ToolCall, texts: string[]): Promise<string | undefined> {
  let args = call.args;
  for (let page = 1; page <= MAX_PAGES; page++) {
    let text: string;
    try {
      const result = await client.callTool(
        { name: call.tool, arguments: args },
        { timeout: CALL_TIMEOUT_MS },
      );
      text = (result.content as { type: string; text?: string }[]).map((item) => item.text ?? "").join("\n");
      if (result.isError) return text.split("\n")[0];
    } catch (error) {
      return (error as Error).message;
    }
    texts.push(text);
    const next = call.followContinue ? /continue="([^"]+)"/.exec(text)?.[1] : undefined;
    if (next === undefined) return undefined;
    args = { ...call.args, continue: next };
  }
  return `still paging after ${MAX_PAGES} pages`;
}

async function connect(url: string): Promise<Client> {
  const options =
    values.revision === MODERN_REVISION ? { versionNegotiation: { mode: { pin: MODERN_REVISION } } } : {};
  const client = new Client({ name: "flux-mcp-http-load", version: "1.0.0" }, options);
  await client.connect(new StreamableHTTPClientTransport(new URL("/mcp", url)));
  return client;
}

function listeningUrl(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = "";
    const onData = (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = /serving MCP at (http:\/\/\S+?)\/mcp/.exec(stderr)?.[1];
      if (url !== undefined) {
        server.stderr?.off("data", onData);
        // Keeps draining stderr so the server never blocks on a full pipe.
        server.stderr?.resume();
        resolve(url);
      }
    };
    server.stderr?.on("data", onData);
    server.once("exit", (code) =>
      reject(new Error(`the server exited (${code}) before listening: ${stderr.trim()}`)),
    );
  });
}

async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  const timer = setTimeout(() => server.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitForFile(path: string): Promise<string> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (existsSync(path)) return readFile(path, "utf8");
    await sleep(50);
  }
  throw new Error(`the server wrote no probe figures to ${path}`);
}

async function printProfile(directory: string, variant: Variant, run: number): Promise<void> {
  const files = (await readdir(directory)).filter((name) => name.endsWith(".cpuprofile"));
  for (const file of files) {
    const summary = await summarizeProfile(join(directory, file), 30);
    log(
      `CPU profile of run ${run}, ${variant.label} (${relative(ROOT, join(directory, file))}):\n${formatProfile(summary)}`,
    );
  }
}

function describeRun(figures: RunFigures): string {
  const { probe } = figures;
  return (
    `${figures.questionsPerSecond} questions/s (${figures.questions}), loop delay p50 ${probe.loopDelay.p50} ms, ` +
    `p99 ${probe.loopDelay.p99} ms, max ${probe.loopDelay.max} ms; GC ${percent(figures.gcShareOfWindow)} of the window, ` +
    `${percent(figures.gcShareOfBusy)} of the busy time; CPU ${percent(probe.cpuMs / probe.windowMs)} (${figures.cpuMsPerQuestion} ms a question), ` +
    `loop busy ${percent(probe.loopUtilization)}, peak RSS ${probe.peakRssMiB} MiB; ` +
    `question p50 ${figures.questionMs.p50} ms, p99 ${figures.questionMs.p99} ms; ${figures.failures} failed, ${figures.missingFacts} missing facts`
  );
}

/** Per variant: the median of the runs, and their lowest and highest. */
function summaryTable(figures: RunFigures[]): string {
  const rows = [
    "| Variant | runs | questions/s | server CPU a question | a core's second at that CPU (1000 ms ÷ CPU a question) | loop delay p99 | loop delay max | GC pauses, share of busy time | failed · missing facts |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const variant of variants) {
    const runs = figures.filter((entry) => entry.variant === variant.label);
    const cell = (pick: (entry: RunFigures) => number, show: (value: number) => string) => {
      const picked = runs.map(pick);
      return `${show(percentile(picked, 0.5))} (${show(Math.min(...picked))}–${show(Math.max(...picked))})`;
    };
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    rows.push(
      `| ${variant.label} | ${runs.length} | ${cell(
        (entry) => entry.questionsPerSecond,
        (value) => value.toFixed(1),
      )} | ` +
        `${cell((entry) => entry.cpuMsPerQuestion, ms)} | ` +
        `${cell(
          (entry) => 1000 / entry.cpuMsPerQuestion,
          (value) => value.toFixed(0),
        )} | ` +
        `${cell((entry) => entry.probe.loopDelay.p99, ms)} | ${cell((entry) => entry.probe.loopDelay.max, ms)} | ` +
        `${cell((entry) => entry.gcShareOfBusy, percent)} | ` +
        `${runs.reduce((sum, entry) => sum + entry.failures, 0)} · ${variant.floor ? "not checked" : runs.reduce((sum, entry) => sum + entry.missingFacts, 0)} |`,
    );
  }
  return `Each cell: median of the runs (lowest–highest).\n\n${rows.join("\n")}${floorTable(figures)}`;
}

/** Each build ÷ the floor, paired per run (the floor's turn in the same run). */
function floorTable(figures: RunFigures[]): string {
  if (!floorVariant) return "";
  const floorRuns = new Map(
    figures.filter((entry) => entry.variant === FLOOR_LABEL).map((entry) => [entry.run, entry]),
  );
  const rows = [
    "| Build | questions/s ÷ floor | per run | server CPU a question ÷ floor | per run |",
    "|---|---|---|---|---|",
  ];
  for (const variant of builds) {
    const pairs = figures.flatMap((entry) => {
      const floor = floorRuns.get(entry.run);
      return entry.variant === variant.label && floor ? [{ entry, floor }] : [];
    });
    const cells = (pick: (entry: RunFigures) => number) => {
      const ratios = pairs.map(({ entry, floor }) => pick(entry) / pick(floor));
      const show = (value: number) => value.toFixed(2);
      return [
        `${show(percentile(ratios, 0.5))} (${show(Math.min(...ratios))}–${show(Math.max(...ratios))})`,
        ratios.map(show).join(", "),
      ];
    };
    rows.push(
      `| ${variant.label} | ${[...cells((entry) => entry.questionsPerSecond), ...cells((entry) => entry.cpuMsPerQuestion)].join(" | ")} |`,
    );
  }
  return `\n\nEach build ÷ the floor (${FLOOR_LABEL}), paired per run: median (lowest–highest).\n\n${rows.join("\n")}`;
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}

function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function wholeNumber(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new Error(`--${name} must be a whole number of at least 1`);
  return number;
}

await main();
