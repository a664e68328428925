// A pod, as far as flux-mcp can tell: the service-account files (token, ca.crt, namespace) in a
// directory of their own (FLUX_MCP_SERVICE_ACCOUNT_DIR) and KUBERNETES_SERVICE_HOST/PORT pointing
// at one cluster of the in-memory API server, served at the root of its address as
// https://kubernetes.default.svc is. The token stands for the service account.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TestApiServer } from "./apiserver.ts";
import { startClusterProxy } from "./kube-config.ts";
import { serverEnvironment } from "./mcp-clients.ts";

export interface SimulatedPod {
  /** The environment to start `serve` with. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** `api` must accept `token` (startTestApiServer's `tokens`) as the service account. */
export async function simulatePod(
  api: TestApiServer,
  options: { cluster: string; token: string; namespace: string },
): Promise<SimulatedPod> {
  const proxy = await startClusterProxy(api, options.cluster);
  const accountDirectory = join(api.directory, `serviceaccount-${proxy.port}`);
  await mkdir(accountDirectory);
  await writeFile(join(accountDirectory, "token"), `${options.token}\n`);
  await writeFile(join(accountDirectory, "ca.crt"), api.server.certificates.caCertPem);
  await writeFile(join(accountDirectory, "namespace"), options.namespace);
  return {
    env: serverEnvironment({
      KUBERNETES_SERVICE_HOST: "127.0.0.1",
      KUBERNETES_SERVICE_PORT: String(proxy.port),
      FLUX_MCP_SERVICE_ACCOUNT_DIR: accountDirectory,
      // No ~/.kube/config to fall back on.
      HOME: api.directory,
    }),
    close: () => proxy.close(),
  };
}
