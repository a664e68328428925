// The demo fleet plus a user "dev" who may read workloads and Kustomizations cluster-wide but no
// other Flux kind: for answers that must say what they could not read instead of failing.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { demoClusterSources, type ClusterSource } from "../helpers/apiserver.ts";

export const PARTIAL_READER = "dev";

export async function demoWithPartialReader(): Promise<ClusterSource[]> {
  const directory = await mkdtemp(join(tmpdir(), "flux-mcp-rbac-"));
  const path = join(directory, "partial-reader.yaml");
  const role = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: "partial-reader" },
    rules: [
      { apiGroups: ["", "apps"], resources: ["pods", "replicasets", "deployments"], verbs: ["get", "list"] },
      { apiGroups: ["kustomize.toolkit.fluxcd.io"], resources: ["kustomizations"], verbs: ["get", "list"] },
    ],
  };
  const binding = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: "partial-reader" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "partial-reader" },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: PARTIAL_READER }],
  };
  await writeFile(path, `${stringify(role)}---\n${stringify(binding)}`);
  return demoClusterSources().map((source) =>
    source.name === "staging" ? { ...source, paths: [...source.paths, path] } : source,
  );
}
