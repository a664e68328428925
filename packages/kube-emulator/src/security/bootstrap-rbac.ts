// The default roles kube-apiserver creates at startup that clients rely on even without admin
// rights: discovery for kubectl, self access reviews for `kubectl auth can-i`, and cluster-admin.
import type { KubeObject } from "../types.ts";
import type { PolicyRule } from "./rbac.ts";

const bootstrapMetadata = {
  labels: { "kubernetes.io/bootstrapping": "rbac-defaults" },
  annotations: { "rbac.authorization.kubernetes.io/autoupdate": "true" },
};

const healthAndVersionURLs = ["/healthz", "/livez", "/readyz", "/version", "/version/"];

export function bootstrapRbacObjects(): KubeObject[] {
  return [
    ...clusterRoleWithBinding(
      "cluster-admin",
      [
        { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
        { nonResourceURLs: ["*"], verbs: ["*"] },
      ],
      ["system:masters"],
    ),
    ...clusterRoleWithBinding(
      "system:discovery",
      [
        {
          nonResourceURLs: [
            "/api",
            "/api/*",
            "/apis",
            "/apis/*",
            "/openapi",
            "/openapi/*",
            ...healthAndVersionURLs,
          ],
          verbs: ["get"],
        },
      ],
      ["system:authenticated"],
    ),
    ...clusterRoleWithBinding(
      "system:basic-user",
      [
        {
          apiGroups: ["authorization.k8s.io"],
          resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
          verbs: ["create"],
        },
        { apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"], verbs: ["create"] },
      ],
      ["system:authenticated"],
    ),
    ...clusterRoleWithBinding(
      "system:public-info-viewer",
      [{ nonResourceURLs: healthAndVersionURLs, verbs: ["get"] }],
      ["system:authenticated", "system:unauthenticated"],
    ),
  ];
}

function clusterRoleWithBinding(name: string, rules: Partial<PolicyRule>[], groups: string[]): KubeObject[] {
  return [
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name, ...structuredClone(bootstrapMetadata) },
      rules,
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name, ...structuredClone(bootstrapMetadata) },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
      subjects: groups.map((group) => ({
        apiGroup: "rbac.authorization.k8s.io",
        kind: "Group",
        name: group,
      })),
    },
  ];
}
