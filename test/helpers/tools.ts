// Fixtures and Kubernetes access for tests that are not tool calls (tool calls go through the real
// server: tool-session.ts).
import { Buffer } from "node:buffer";
import { gzipSync } from "node:zlib";
import { createKubeProvider } from "../../src/kube/provider.ts";
import type { Kube, KubeObject, KubeProvider } from "../../src/kube/types.ts";
import type { TestApiServer } from "./apiserver.ts";

/** A provider over the test API server's kubeconfig, masking Secrets as the server does by default. */
export function testProvider(api: TestApiServer): KubeProvider {
  return createKubeProvider({ kubeconfigPaths: [api.kubeconfigPath], readOnly: false, maskSecrets: true });
}

/** The cluster of one context (default: the current one), opened on demand, as a tool's ctx.kube() does. */
export function kubeOf(api: TestApiServer, context?: string): () => Promise<Kube> {
  const provider = testProvider(api);
  return () => provider.forContext(context, new AbortController().signal);
}

/**
 * A Helm storage Secret as helm-controller writes it: release JSON, gzipped, base64 (Helm), then
 * base64 again as Secret data.
 */
export function helmStorageSecret(release: {
  name: string;
  namespace: string;
  version: number;
  manifest: string;
  storageNamespace?: string;
}): KubeObject {
  const json = JSON.stringify({
    name: release.name,
    namespace: release.namespace,
    version: release.version,
    info: { status: "deployed" },
    config: {},
    manifest: release.manifest,
  });
  const helmEncoded = gzipSync(Buffer.from(json)).toString("base64");
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: `sh.helm.release.v1.${release.name}.v${release.version}`,
      namespace: release.storageNamespace ?? release.namespace,
      labels: { owner: "helm", name: release.name, status: "deployed", version: String(release.version) },
    },
    type: "helm.sh/release.v1",
    data: { release: Buffer.from(helmEncoded).toString("base64") },
  };
}
