// Two builds of the CLI side by side, for deciding whether a code path earns its keep: both serve
// the same in-memory API server (a generated fleet, 10,000 Flux objects unless told), and each
// round asks both the same listing calls, who goes first rotated each round. Prints, per call, the ratio B/A
// pair by pair (median and 10th–90th percentiles), which holds when a shared machine's speed drifts.
// Not part of the test suite.
//
//   npm run build -- --outdir .tmp/dist-a   (the code as it is)
//   npm run build -- --outdir .tmp/dist-b   (the variant)
//   node bench/paired-builds.ts --a .tmp/dist-a/cli.js --b .tmp/dist-b/cli.js [--rounds 10]
//                               [--flux-objects 10000] [--only TEXT,…]  (calls whose label holds a TEXT)
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { benchArguments } from "./arguments.ts";
import { startApiServer } from "@flux-mcp/kube-emulator";
import { buildFleetCluster, fleetNamespaces } from "./fleet.ts";
import { killAllServers, McpSession, pause } from "./mcp-session.ts";
import { rotated, spread } from "./numbers.ts";
import { FLEET_CONTEXT } from "./questions.ts";
import { cleanEnvironment, type ToolCall } from "./servers/server.ts";
import { READY_FIELDS } from "./servers/flux-mcp.ts";

const CALL_TIMEOUT_MS = 120_000;

/** Listings of the fleet that page (500 objects per API page) and project with kubectl JSONPath. */
const CALLS: Record<string, ToolCall> = {
  "Kustomizations, Ready status and message (every one, 500 objects per API page)": {
    tool: "get_kubernetes_resources",
    args: {
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      fields: READY_FIELDS,
      limit: 10_000,
      context: FLEET_CONTEXT,
    },
    followContinue: true,
  },
  "HelmReleases, chart and revision (plain members, every one)": {
    tool: "get_kubernetes_resources",
    args: {
      apiVersion: "helm.toolkit.fluxcd.io/v2",
      kind: "HelmRelease",
      fields: [".spec.chart.spec.chart", ".status.lastAttemptedRevision", ".spec.interval"],
      limit: 10_000,
      context: FLEET_CONTEXT,
    },
    followContinue: true,
  },
  "Kustomizations as YAML (the default page, cut to the response limit)": {
    tool: "get_kubernetes_resources",
    args: { kind: "Kustomization", context: FLEET_CONTEXT },
  },
  "Pods as YAML (default page, cut to the response limit)": {
    tool: "get_kubernetes_resources",
    args: { apiVersion: "v1", kind: "Pod", limit: 1000, context: FLEET_CONTEXT },
  },
};

const values = benchArguments(import.meta.url, {
  a: { type: "string" },
  b: { type: "string" },
  rounds: { type: "string", default: "10" },
  "flux-objects": { type: "string", default: "10000" },
  only: { type: "string" },
});
if (values.a === undefined || values.b === undefined) throw new Error("give --a CLI and --b CLI");
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds must be a whole number of at least 1");
const fluxObjects = Number(values["flux-objects"]);
if (!Number.isInteger(fluxObjects) || fluxObjects < 50) throw new Error("--flux-objects must be at least 50");
const builds = { A: resolve(values.a), B: resolve(values.b) };
const calls = Object.entries(CALLS).filter(
  ([label]) => values.only === undefined || values.only.split(",").some((text) => label.includes(text)),
);

const log = (message: string) => process.stderr.write(`paired-builds: ${message}\n`);
process.on("exit", killAllServers);

/** As bench/scale.ts builds its fleet: 50 Flux objects per namespace. */
const fleet = await buildFleetCluster(
  FLEET_CONTEXT,
  new Date(),
  fleetNamespaces(Math.ceil(fluxObjects / 50)),
);
const apiServer = await startApiServer({ clusters: [fleet.cluster], simulation: false });
const directory = await mkdtemp(join(tmpdir(), "flux-mcp-paired-"));
try {
  const kubeconfigPath = join(directory, "kubeconfig.yaml");
  await writeFile(kubeconfigPath, apiServer.kubeconfig(), { mode: 0o600 });
  const sessions = {
    A: await McpSession.open({
      command: process.execPath,
      args: [builds.A, "serve", "--kubeconfig", kubeconfigPath, "--kube-context", FLEET_CONTEXT],
      env: cleanEnvironment(directory),
    }),
    B: await McpSession.open({
      command: process.execPath,
      args: [builds.B, "serve", "--kubeconfig", kubeconfigPath, "--kube-context", FLEET_CONTEXT],
      env: cleanEnvironment(directory),
    }),
  };
  const ratios = new Map<string, number[]>(calls.map(([label]) => [label, []]));
  const times = new Map<string, { A: number[]; B: number[] }>(
    calls.map(([label]) => [label, { A: [], B: [] }]),
  );
  // Round 0 warms both up (discovery, the masking index, the JIT) and is not counted.
  for (let round = 0; round <= rounds; round++) {
    for (const [label, call] of calls) {
      const ms: Partial<Record<"A" | "B", number>> = {};
      for (const side of rotated(["A", "B"] as const, round)) {
        await pause();
        const outcome = await sessions[side].call(call, CALL_TIMEOUT_MS);
        if (!outcome.ok) throw new Error(`${side} failed on ${label}: ${outcome.error}`);
        ms[side] = outcome.ms;
      }
      if (round === 0) continue;
      const { A = NaN, B = NaN } = ms;
      ratios.get(label)?.push(B / A);
      times.get(label)?.A.push(A);
      times.get(label)?.B.push(B);
    }
    if (round > 0) log(`round ${round} of ${rounds}`);
  }
  await Promise.all([sessions.A.close(), sessions.B.close()]);
  process.stdout.write(
    `A ${builds.A}\nB ${builds.B}\n${fleet.summary.fluxObjects} Flux objects, ${rounds} rounds\n`,
  );
  for (const [label] of calls) {
    const ratio = spread(ratios.get(label) ?? []);
    const { A = [], B = [] } = times.get(label) ?? {};
    process.stdout.write(
      `${label}: B/A ${ratio.median.toFixed(3)}× (p10–p90 ${ratio.p10.toFixed(3)}–${ratio.p90.toFixed(3)}×); ` +
        `median A ${spread(A).median.toFixed(0)} ms, B ${spread(B).median.toFixed(0)} ms\n`,
    );
  }
} finally {
  await apiServer.close();
  await rm(directory, { recursive: true, force: true });
}
