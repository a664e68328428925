// Where Kubernetes mounts a pod's service account: its token, the cluster's CA and the namespace.
// A module of its own so that `serve` can tell whether it runs in a pod before any Kubernetes code loads.
export const SERVICE_ACCOUNT_DIRECTORY = "/var/run/secrets/kubernetes.io/serviceaccount";
