// Starts the in-memory API server for a test: the demo fleet or given sources, a kubeconfig on
// disk, and real kubectl pointed at it with its own HOME (so its discovery cache is fresh).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { demoClusterSources } from "./demo.ts";
import type { FluxSimulationOptions } from "./flux-controller.ts";
import { createKubectl, type KubectlResult } from "./kubectl.ts";
import { loadCluster, type ClusterSource } from "./loader.ts";
import type { ClusterCertificates } from "./security/certificates.ts";
import { startApiServer, type RunningApiServer } from "./server.ts";
import type { Identity } from "./types.ts";

export { createKubectl, tableRows, type KubectlResult } from "./kubectl.ts";
export type { FaultRule } from "./faults.ts";
export { WRITE_VERBS } from "./request-log.ts";

export interface TestApiServer {
  /** Replaced by restart(). */
  server: RunningApiServer;
  kubeconfigPath: string;
  directory: string;
  kubectl(args: string[], input?: string): Promise<KubectlResult>;
  /**
   * Kills the API server, runs `whileDown`, and starts it again on the same port with the same
   * clusters (their objects kept, as etcd keeps them) and certificates, so the kubeconfig still works.
   */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export interface TestApiServerOptions {
  sources?: ClusterSource[];
  tokens?: Map<string, Identity>;
  simulation?: FluxSimulationOptions | false;
}

export const FAST_SIMULATION: FluxSimulationOptions = {
  pickUpDelayMs: 20,
  workDurationMs: 40,
  newObjectDelayMs: 200,
};

export async function startTestApiServer(options: TestApiServerOptions = {}): Promise<TestApiServer> {
  const clusters = await Promise.all(
    (options.sources ?? demoClusterSources()).map((source) => loadCluster(source)),
  );
  const start = (port?: number, certificates?: ClusterCertificates) =>
    startApiServer({
      clusters,
      simulation: options.simulation ?? FAST_SIMULATION,
      ...(options.tokens && { tokens: options.tokens }),
      ...(port !== undefined && { port }),
      ...(certificates && { certificates }),
    });
  const server = await start();
  const directory = await mkdtemp(join(tmpdir(), "kube-emulator-test-"));
  const kubeconfigPath = join(directory, "kubeconfig.yaml");
  await writeFile(kubeconfigPath, server.kubeconfig());
  const kubectl = createKubectl(kubeconfigPath, directory);
  const running: TestApiServer = {
    server,
    kubeconfigPath,
    directory,
    kubectl,
    restart: async (whileDown) => {
      const { port, certificates } = running.server;
      await running.server.close();
      await whileDown?.();
      running.server = await start(port, certificates);
    },
    close: async () => {
      await running.server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
  return running;
}
