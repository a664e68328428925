// The kubeconfig that points clients at the in-memory clusters: one cluster, user and context per
// served cluster, trusting our CA and authenticating with the admin client certificate.
import { stringify } from "yaml";

export interface KubeconfigInput {
  clusters: { name: string; server: string }[];
  caCertPem: string;
  clientCertPem: string;
  clientKeyPem: string;
}

const base64 = (text: string) => Buffer.from(text).toString("base64");

export function buildKubeconfig(input: KubeconfigInput): string {
  const user = "flux-mcp-admin";
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    preferences: {},
    "current-context": input.clusters[0]?.name ?? "",
    clusters: input.clusters.map(({ name, server }) => ({
      name,
      cluster: { server, "certificate-authority-data": base64(input.caCertPem) },
    })),
    users: [
      {
        name: user,
        user: {
          "client-certificate-data": base64(input.clientCertPem),
          "client-key-data": base64(input.clientKeyPem),
        },
      },
    ],
    contexts: input.clusters.map(({ name }) => ({ name, context: { cluster: name, user } })),
  });
}
