// `flux-mcp apiserver`: runs the in-memory Kubernetes API server in the foreground and writes a
// kubeconfig for it, until SIGINT or SIGTERM.
import { readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  DEFAULT_SIMULATION_TIMING,
  demoClusterSources,
  loadCluster,
  LoadError,
  startApiServer,
  type ClusterSource,
} from "@flux-mcp/kube-emulator";
import { UsageError } from "./usage-error.ts";

export const APISERVER_HELP = `Usage: flux-mcp apiserver [--demo] [--load [CLUSTER=]PATH]... [--kubeconfig FILE] [--port N]

Runs an in-memory Kubernetes API server in the foreground, serving one or more clusters over
HTTPS, and writes a kubeconfig with one context per cluster. Real kubectl works against it.
Stop it with Ctrl-C.

Flags:
  --demo                  serve the demo fleet: clusters "staging" (Flux Operator) and "production"
                          (flux bootstrap), with healthy, failing and suspended Flux objects
  --load [CLUSTER=]PATH   load a YAML file or a directory of them (multi-document YAML, or
                          \`kind: List\` dumps as \`kubectl get -o yaml\` writes them, status included)
                          into CLUSTER (default: the cluster a 'flux-mcp snapshot' file was taken
                          from, else "default"); repeat to load more, or more clusters.
                          CRDs register their kinds. Side formats: kind ClusterInfo and PodLogs of
                          apiserver.flux-mcp.dev/v1alpha1, metrics.k8s.io/v1beta1 PodMetrics and NodeMetrics
  --kubeconfig FILE       where to write the kubeconfig (default: a temporary file, removed on exit)
  --port N                port to listen on (default: a free port)
  --host ADDRESS          address to listen on (default 127.0.0.1)
  -h, --help              show this help`;

export async function runApiServerCommand(args: string[]): Promise<void> {
  const { values } = parseFlags(args);
  if (values.help) {
    console.log(APISERVER_HELP);
    return;
  }
  const port = values.port === undefined ? 0 : parsePort(values.port);
  const sources = clusterSources(values.demo ?? false, await namedLoads(values.load ?? []));
  let clusters;
  try {
    clusters = await Promise.all(sources.map((source) => loadCluster(source)));
  } catch (error) {
    if (error instanceof LoadError) throw new Error(`cannot load: ${error.message}`, { cause: error });
    throw error;
  }
  // The demo fleet's controllers run and act on new objects; a loaded dump is left as loaded.
  const simulation = { ...DEFAULT_SIMULATION_TIMING, reconcileNewObjects: values.demo ?? false };
  const server = await startApiServer({
    clusters,
    port,
    simulation,
    ...(values.host && { host: values.host }),
  });
  const temporary = values.kubeconfig === undefined;
  const kubeconfigPath = resolve(
    values.kubeconfig ?? join(tmpdir(), `flux-mcp-apiserver-${process.pid}.kubeconfig.yaml`),
  );
  await writeFile(kubeconfigPath, server.kubeconfig(), { mode: 0o600 });

  const names = [...server.clusters.keys()];
  console.log(`flux-mcp apiserver listening on ${server.url}`);
  for (const name of names) {
    const cluster = server.clusters.get(name);
    console.log(
      `  cluster ${name} (Kubernetes ${cluster?.info.kubernetesVersion}) at ${server.clusterUrl(name)}`,
    );
  }
  console.log(`kubeconfig: ${kubeconfigPath} (contexts: ${names.join(", ")})`);
  console.log(
    `try: KUBECONFIG=${kubeconfigPath} kubectl --context ${names[0]} get kustomizations,helmreleases -A`,
  );

  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await server.close();
  if (temporary) await rm(kubeconfigPath, { force: true });
  console.log("flux-mcp apiserver stopped");
}

function parseFlags(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        demo: { type: "boolean" },
        load: { type: "string", multiple: true },
        kubeconfig: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(`apiserver: ${(error as Error).message}; run 'flux-mcp apiserver --help'`);
  }
}

/**
 * `--load FILE` of a snapshot names its cluster after the snapshot's ClusterInfo, so that its
 * context reads as the cluster it was taken from; `--load NAME=PATH` and directories are kept.
 */
async function namedLoads(loads: string[]): Promise<string[]> {
  return Promise.all(
    loads.map(async (load) => {
      if (/^[a-z0-9][-a-z0-9]*=/.test(load)) return load;
      const text = await readFile(load, "utf8").catch(() => undefined);
      const name =
        text === undefined
          ? undefined
          : /^kind: ClusterInfo\nmetadata:\n {2}name: ([a-z0-9][-a-z0-9]*)$/m.exec(text)?.[1];
      return name ? `${name}=${load}` : load;
    }),
  );
}

function clusterSources(demo: boolean, loads: string[]): ClusterSource[] {
  if (!demo && loads.length === 0) {
    throw new UsageError(
      "apiserver: nothing to serve: pass --demo or --load PATH; run 'flux-mcp apiserver --help'",
    );
  }
  const sources = demo ? demoClusterSources() : [];
  const loaded = new Map<string, string[]>();
  for (const load of loads) {
    const match = /^([a-z0-9][-a-z0-9]*)=(.+)$/.exec(load);
    const name = match?.[1] ?? "default";
    const path = match?.[2] ?? load;
    if (sources.some((source) => source.name === name)) {
      throw new UsageError(
        `apiserver: cluster "${name}" is already part of the demo; load into another cluster name`,
      );
    }
    loaded.set(name, [...(loaded.get(name) ?? []), path]);
  }
  return [...sources, ...[...loaded].map(([name, paths]) => ({ name, paths }))];
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`apiserver: invalid --port "${text}": expected a number from 0 to 65535`);
  }
  return port;
}
