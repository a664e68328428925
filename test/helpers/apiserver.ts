// Starts the in-memory API server for a test: the demo fleet or given sources, a kubeconfig on
// disk, and real kubectl pointed at it with its own HOME (so its discovery cache is fresh).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { demoClusterSources } from "../../src/apiserver/demo.ts";
import type { FluxSimulationOptions } from "../../src/apiserver/flux-controller.ts";
import { loadCluster, type ClusterSource } from "../../src/apiserver/loader.ts";
import { startApiServer, type RunningApiServer } from "../../src/apiserver/server.ts";
import type { Identity } from "../../src/apiserver/types.ts";
import { createKubectl, type KubectlResult } from "../kubectl/kubectl.ts";

export interface TestApiServer {
  server: RunningApiServer;
  kubeconfigPath: string;
  directory: string;
  kubectl(args: string[], input?: string): Promise<KubectlResult>;
  close(): Promise<void>;
}

export interface TestApiServerOptions {
  sources?: ClusterSource[];
  tokens?: Map<string, Identity>;
  simulation?: FluxSimulationOptions | false;
}

/** The demo fleet with extra files loaded into one of its clusters (e.g. a test corpus). */
export function demoSourcesWith(cluster: string, paths: string[]): ClusterSource[] {
  return demoClusterSources().map((source) =>
    source.name === cluster ? { ...source, paths: [...source.paths, ...paths] } : source,
  );
}

export const FAST_SIMULATION: FluxSimulationOptions = { pickUpDelayMs: 20, workDurationMs: 40 };

export async function startTestApiServer(options: TestApiServerOptions = {}): Promise<TestApiServer> {
  const clusters = await Promise.all(
    (options.sources ?? demoClusterSources()).map((source) => loadCluster(source)),
  );
  const server = await startApiServer({
    clusters,
    simulation: options.simulation ?? FAST_SIMULATION,
    ...(options.tokens && { tokens: options.tokens }),
  });
  const directory = await mkdtemp(join(tmpdir(), "flux-mcp-test-"));
  const kubeconfigPath = join(directory, "kubeconfig.yaml");
  await writeFile(kubeconfigPath, server.kubeconfig());
  const kubectl = createKubectl(kubeconfigPath, directory);
  return {
    server,
    kubeconfigPath,
    directory,
    kubectl,
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
