// The clusters `serve --demo`, `serve --snapshot` and `graph --demo` bring along: the in-memory API
// server in this process, with a kubeconfig for it in a temporary directory. Loaded only for them.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { UsageError } from "./usage-error.ts";

/** `serve --demo`: the in-memory API server with the demo fleet, in this process. */
export async function startDemoCluster(): Promise<{ kubeconfigPath: string; close(): Promise<void> }> {
  return startInMemoryClusters(undefined);
}

/** `serve --snapshot FILE`: the snapshot in the in-memory API server, its context named after its cluster. */
export async function startSnapshotCluster(
  file: string,
): Promise<{ kubeconfigPath: string; close(): Promise<void> }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`serve: cannot read --snapshot ${file}: ${(error as Error).message}`);
  }
  const info = parseAllDocuments(text)
    .map((document) => document.toJS() as { kind?: string; metadata?: { name?: string } } | null)
    .find((object) => object?.kind === "ClusterInfo");
  return startInMemoryClusters({ name: info?.metadata?.name ?? "snapshot", file });
}

/** The demo fleet, or a snapshot (which no controller simulation moves on: it is a record). */
async function startInMemoryClusters(
  snapshot: { name: string; file: string } | undefined,
): Promise<{ kubeconfigPath: string; close(): Promise<void> }> {
  const emulator = await import("@flux-mcp/kube-emulator");
  const sources = snapshot
    ? [{ name: snapshot.name, paths: [snapshot.file] }]
    : emulator.demoClusterSources();
  let clusters;
  try {
    clusters = await Promise.all(sources.map((source) => emulator.loadCluster(source)));
  } catch (error) {
    if (snapshot && error instanceof emulator.LoadError) {
      throw new UsageError(`serve: cannot load --snapshot ${snapshot.file}: ${error.message}`);
    }
    throw error;
  }
  // A demo fleet's controllers and operator run: they act on new objects (install_flux_instance).
  const simulation = snapshot ? false : { ...emulator.DEFAULT_SIMULATION_TIMING, reconcileNewObjects: true };
  const apiServer = await emulator.startApiServer({ clusters, simulation });
  const directory = await mkdtemp(join(tmpdir(), "flux-mcp-demo-"));
  const kubeconfigPath = join(directory, "kubeconfig.yaml");
  await writeFile(kubeconfigPath, apiServer.kubeconfig(), { mode: 0o600 });
  return {
    kubeconfigPath,
    async close() {
      await apiServer.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
