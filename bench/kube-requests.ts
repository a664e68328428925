// The Kubernetes layer's own CPU a request, for source trees side by side (this worktree and, say, a
// worktree of the code before a change): what the kube request path (credentials, agent, request
// building, abort listeners, answer reading, JSON parsing) costs, without the MCP server, masking or
// formatting around it. The in-memory API server (the demo fleet) runs in a process of its own, so
// only the client's CPU is counted; each tree is measured in a fresh process, in turns, who goes
// first rotated each round: 8 loops at once, each asking per "call" (a signal of its own) for one
// Kustomization, a page of 2 and one that does not exist. Prints microseconds of CPU a request per
// round, and each tree ÷ the first, paired per round. Needs `npm run build` (the API server is
// `dist/cli.js apiserver`). Not part of the test suite.
//
//   node bench/kube-requests.ts --trees .,../before [--rounds 6] [--credential-files]
//     (--credential-files: the kubeconfig names its CA, client certificate and key as files, as a
//      pod's service account token and CA are)
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { benchArguments } from "./arguments.ts";
import { withCredentialFiles } from "./credential-files.ts";
import { rotated, spread } from "./numbers.ts";
import type * as Provider from "../src/kube/provider.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const LOOPS = 8;
const WARM_UP_CALLS = 60;
const MEASURED_CALLS = 150;
const REQUESTS_A_CALL = 3;

const values = benchArguments(import.meta.url, {
  trees: { type: "string", default: "." },
  rounds: { type: "string", default: "6" },
  "credential-files": { type: "boolean", default: false },
  // Internal: one measurement, in a process of its own.
  measure: { type: "string" },
  kubeconfig: { type: "string" },
});

if (values.measure !== undefined && values.kubeconfig !== undefined) {
  process.stdout.write(`${await measure(values.measure, values.kubeconfig)}\n`);
  process.exit(0);
} else {
  await compare();
}

/** Microseconds of this process's CPU a request, through the kube layer of the tree at `tree`. */
async function measure(tree: string, kubeconfig: string): Promise<number> {
  const { createKubeProvider } = (await import(
    join(resolve(tree), "src/kube/provider.ts")
  )) as typeof Provider;
  const provider = createKubeProvider({ kubeconfigPaths: [kubeconfig], readOnly: false, maskSecrets: false });
  const kustomizations = await (await provider.forContext("staging")).resolveKind("ks");
  const loop = async (calls: number) => {
    for (let call = 0; call < calls; call++) {
      const kube = await provider.forContext("staging", new AbortController().signal);
      await kube.get(kustomizations, "flux-system", "flux-system");
      await kube.list(kustomizations, { namespace: "flux-system", limit: 2 });
      await kube.get(kustomizations, "no-such-kustomization", "flux-system").catch(() => undefined);
    }
  };
  const run = (calls: number) => Promise.all(Array.from({ length: LOOPS }, () => loop(calls)));
  await run(WARM_UP_CALLS);
  const before = process.cpuUsage();
  await run(MEASURED_CALLS);
  const used = process.cpuUsage(before);
  return Math.round((used.user + used.system) / (LOOPS * MEASURED_CALLS * REQUESTS_A_CALL));
}

async function compare(): Promise<void> {
  const trees = values.trees.split(",").map((tree) => resolve(tree));
  const rounds = Number(values.rounds);
  const directory = await mkdtemp(join(tmpdir(), "flux-mcp-kube-requests-"));
  const apiKubeconfig = join(directory, "kubeconfig.yaml");
  const apiServer = spawn(
    process.execPath,
    [join(ROOT, "dist/cli.js"), "apiserver", "--demo", "--kubeconfig", apiKubeconfig],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  try {
    await new Promise<void>((resolveListening, reject) => {
      let output = "";
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("listening on")) resolveListening();
      };
      apiServer.stdout.on("data", onData);
      apiServer.stderr.on("data", onData);
      apiServer.once("exit", (code) => reject(new Error(`the API server exited (${code}): ${output}`)));
    });
    const kubeconfig = values["credential-files"]
      ? await withCredentialFiles(await readFile(apiKubeconfig, "utf8"), directory)
      : apiKubeconfig;
    const figures = new Map<string, number[]>(trees.map((tree) => [tree, []]));
    for (let round = 0; round < rounds; round++) {
      const line: string[] = [];
      for (const tree of rotated(trees, round)) {
        const microseconds = await measureInChild(tree, kubeconfig);
        figures.get(tree)?.push(microseconds);
        line.push(`${tree}: ${microseconds} µs`);
      }
      process.stderr.write(`round ${round + 1}: ${line.join(", ")}\n`);
    }
    const first = figures.get(trees[0] as string) ?? [];
    for (const [tree, values] of figures) {
      const own = spread(values);
      const paired = spread(values.map((value, index) => value / (first[index] ?? NaN)));
      process.stdout.write(
        `${tree}: ${own.median} µs CPU a request (p10–p90 ${own.p10}–${own.p90}); ÷ the first tree, paired per round: ${paired.median} (${paired.p10}–${paired.p90})\n`,
      );
    }
  } finally {
    apiServer.kill();
    await rm(directory, { recursive: true, force: true });
  }
}

function measureInChild(tree: string, kubeconfig: string): Promise<number> {
  return new Promise((resolveFigure, reject) => {
    const child = spawn(
      process.execPath,
      [fileURLToPath(import.meta.url), "--measure", tree, "--kubeconfig", kubeconfig],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.once("exit", (code) =>
      code === 0 ? resolveFigure(Number(stdout.trim())) : reject(new Error(`${tree}: exit ${code}`)),
    );
  });
}
