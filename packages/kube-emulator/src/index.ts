// The emulator's public surface: load clusters from YAML, serve them over HTTPS to kubectl and
// client libraries, and the demo fleet's sources.
export { Cluster, type ClusterInfo } from "./cluster.ts";
export { demoClusterSources, fixturesDirectory } from "./demo.ts";
export { DEFAULT_SIMULATION_TIMING, type FluxSimulationOptions } from "./flux-controller.ts";
export { loadCluster, LoadError, type ClusterSource } from "./loader.ts";
export { startApiServer, type ApiServerOptions, type RunningApiServer } from "./server.ts";
export type { Identity, KubeObject } from "./types.ts";
export {
  createCertificateAuthority,
  issueClientCertificate,
  type CertificateAuthority,
  type IssuedCertificate,
} from "./security/certificates.ts";
