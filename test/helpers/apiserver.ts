// The one place the product's tests reach the in-memory API server (the emulator package): a
// server per test with real kubectl pointed at it, the demo fleet, and its fixtures.
export {
  FAST_SIMULATION,
  createKubectl,
  startTestApiServer,
  tableRows,
  type KubectlResult,
  type TestApiServer,
  type TestApiServerOptions,
  type FaultRule,
  WRITE_VERBS,
} from "@flux-mcp/kube-emulator/testing";
export {
  demoClusterSources,
  fixturesDirectory,
  loadCluster,
  startApiServer,
  type ClusterSource,
  type FluxSimulationOptions,
  type Identity,
  type KubeObject,
  type RunningApiServer,
} from "@flux-mcp/kube-emulator";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { demoClusterSources, fixturesDirectory, type ClusterSource } from "@flux-mcp/kube-emulator";
import { startTestApiServer, type TestApiServer } from "@flux-mcp/kube-emulator/testing";

/** The demo fleet with extra files loaded into one of its clusters (e.g. a test corpus). */
export function demoSourcesWith(cluster: string, paths: string[]): ClusterSource[] {
  return demoClusterSources().map((source) =>
    source.name === cluster ? { ...source, paths: [...source.paths, ...paths] } : source,
  );
}

export {
  createCertificateAuthority,
  issueClientCertificate,
  issueServerCertificate,
} from "@flux-mcp/kube-emulator";

/**
 * A test API server with one cluster named `name`: Flux's CRDs and these objects, written as YAML to
 * a temporary directory that the server's close() removes. No controller simulation runs.
 */
export async function startFluxClusterOf(name: string, objects: readonly object[]): Promise<TestApiServer> {
  const directory = await mkdtemp(join(tmpdir(), `flux-mcp-${name}-`));
  try {
    await writeFile(
      join(directory, "objects.yaml"),
      objects.map((object) => stringify(object)).join("---\n"),
    );
    const api = await startTestApiServer({
      sources: [{ name, paths: [join(fixturesDirectory(), "crds", "toolkit.yaml"), directory] }],
      simulation: false,
    });
    const closeServer = api.close.bind(api);
    api.close = async () => {
      await closeServer();
      await rm(directory, { recursive: true, force: true });
    };
    return api;
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}
