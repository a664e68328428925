// Where the kubeconfig comes from, the same for every command: --kubeconfig FILE, else the files
// in KUBECONFIG (separated like PATH), else none, which means ~/.kube/config (or, in a pod, the
// service account). An empty --kubeconfig "" counts as not given, as kubectl takes it.
import { delimiter } from "node:path";

export function kubeconfigPathsFrom(flag: string | undefined, environment: string | undefined): string[] {
  if (flag) return [flag];
  return (environment ?? "").split(delimiter).filter(Boolean);
}
