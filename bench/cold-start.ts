// Cold starts only, for comparing builds of flux-mcp with each other and with the Go peer in a few
// minutes: every build (a directory holding a built cli.js, e.g. a copy of dist/ made before a change)
// and kubernetes-mcp-server are spawned in turn against the demo clusters, who goes first rotated
// each round, and each time is divided by the Go peer's of the same round. Prints, per build and
// run, the median (10th–90th percentile) of those paired ratios, and of each build ÷ the first.
//
//   node bench/cold-start.ts [--builds dist,/tmp/dist-before] [--spawns 20] [--runs 3]
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { benchArguments } from "./arguments.ts";
import { demoClusterSources, loadCluster, startApiServer } from "@flux-mcp/kube-emulator";
import { killAllServers } from "./mcp-session.ts";
import { measureColdStart, type Target } from "./measure-server.ts";
import { rotated, spread, type Spread } from "./numbers.ts";
import type { ColdStartResult } from "./results.ts";
import { fluxMcp } from "./servers/flux-mcp.ts";
import { kubernetesMcpServer } from "./servers/kubernetes-mcp-server.ts";
import type { ServerUnderTest } from "./servers/server.ts";

const values = benchArguments(import.meta.url, {
  builds: { type: "string", default: "dist" },
  spawns: { type: "string", default: "20" },
  runs: { type: "string", default: "3" },
});
const builds = values.builds.split(",").map((directory) => resolve(directory));
const spawns = Number(values.spawns);
const runs = Number(values.runs);

const MEASURES = {
  "spawn → initialize": "initializeMs",
  "spawn → tools/list": "toolsListMs",
  "first call after the handshake": "firstCallMs",
  "spawn → first tool answer": "firstAnswerMs",
} as const satisfies Record<string, keyof ColdStartResult>;

/** flux-mcp started from another build directory, otherwise as the bench starts it. */
function fluxMcpBuild(directory: string): ServerUnderTest {
  return {
    ...fluxMcp,
    id: directory,
    launch: (kubeconfigPath, home) => {
      const launch = fluxMcp.launch(kubeconfigPath, home);
      return { ...launch, args: [join(directory, "cli.js"), ...launch.args.slice(1)] };
    },
  };
}

function ratios(ours: ColdStartResult, theirs: ColdStartResult, measure: keyof ColdStartResult): Spread {
  const a = ours[measure] as (number | null)[];
  const b = theirs[measure] as (number | null)[];
  const paired = a.flatMap((value, index) => {
    const other = b[index];
    return value === null || other === null || other === undefined ? [] : [value / other];
  });
  return spread(paired);
}

const show = (value: Spread, unit = "×") =>
  `${value.median.toPrecision(3)}${unit} (${value.p10.toPrecision(3)}–${value.p90.toPrecision(3)}${unit})`;

async function main(): Promise<void> {
  const clusters = await Promise.all(demoClusterSources().map((source) => loadCluster(source)));
  const apiServer = await startApiServer({ clusters, simulation: false });
  const directory = await mkdtemp(join(tmpdir(), "flux-mcp-cold-"));
  try {
    const kubeconfigPath = join(directory, "kubeconfig.yaml");
    await writeFile(kubeconfigPath, apiServer.kubeconfig(), { mode: 0o600 });
    const servers = [...builds.map(fluxMcpBuild), kubernetesMcpServer];
    for (let run = 1; run <= runs; run++) {
      const targets: Target[] = [];
      for (const server of servers) {
        const home = join(directory, `home-${targets.length}`);
        await mkdir(home, { recursive: true });
        targets.push({
          server,
          launch: server.launch(kubeconfigPath, home),
          result: { id: server.id, label: server.label, questions: {} },
        });
      }
      for (let round = 0; round < spawns; round++) {
        for (const target of rotated(targets, round + run)) await measureColdStart(target);
      }
      const peer = targets.at(-1)?.result.coldStart;
      const first = targets[0]?.result.coldStart;
      if (!peer || !first) throw new Error("no cold start measured");
      for (const target of targets.slice(0, -1)) {
        const cold = target.result.coldStart;
        if (!cold) continue;
        if (cold.errors.length > 0) console.log(`  errors: ${cold.errors.slice(0, 3).join("; ")}`);
        console.log(`run ${run}, ${target.server.id}, ${spawns} spawns:`);
        for (const [label, measure] of Object.entries(MEASURES)) {
          const own = spread(cold[measure].filter((value) => value !== null));
          const vsPeer = ratios(cold, peer, measure);
          const vsFirst =
            target === targets[0] ? "" : `; ÷ first build ${show(ratios(cold, first, measure))}`;
          console.log(`  ${label}: ${show(own, " ms")}; ÷ Go peer ${show(vsPeer)}${vsFirst}`);
        }
      }
      const peerAnswer = spread(peer.firstAnswerMs.filter((value) => value !== null));
      console.log(`  Go peer spawn → first tool answer: ${show(peerAnswer, " ms")}`);
    }
  } finally {
    killAllServers();
    await apiServer.close();
    await rm(directory, { recursive: true, force: true });
  }
}

await main();
