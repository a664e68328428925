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
import { demoClusterSources, type ClusterSource } from "@flux-mcp/kube-emulator";

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
