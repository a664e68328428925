// The one part of the Kubernetes client library flux-mcp uses: KubeConfig, for kubeconfig loading
// and authentication. Imported from here rather than as the whole package, so the bundle keeps
// only what KubeConfig needs instead of every generated API client.
export { KubeConfig } from "@kubernetes/client-node";
