// RBAC objects shared by the authorizer, impersonation and access review tests.
import type { KubeObject } from "../../src/types.ts";
import type { RbacSource } from "../../src/security/rbac.ts";

const rbacApiVersion = "rbac.authorization.k8s.io/v1";

export function clusterRole(name: string, rules: object[], extra: Partial<KubeObject> = {}): KubeObject {
  return { apiVersion: rbacApiVersion, kind: "ClusterRole", metadata: { name }, rules, ...extra };
}

export function role(namespace: string, name: string, rules: object[]): KubeObject {
  return { apiVersion: rbacApiVersion, kind: "Role", metadata: { name, namespace }, rules };
}

export function binding(
  name: string,
  roleRef: { kind: "Role" | "ClusterRole"; name: string },
  subjects: object[],
  namespace?: string,
): KubeObject {
  return {
    apiVersion: rbacApiVersion,
    kind: namespace === undefined ? "ClusterRoleBinding" : "RoleBinding",
    metadata: namespace === undefined ? { name } : { name, namespace },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef },
    subjects,
  };
}

export const user = (name: string) => ({ kind: "User", apiGroup: "rbac.authorization.k8s.io", name });
export const group = (name: string) => ({ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name });

/** A source over a fixed list of objects, sorted by kind and namespace like the store would. */
export function staticRbac(objects: KubeObject[]): RbacSource {
  const of = (kind: string, namespace?: string) =>
    objects.filter((object) => object.kind === kind && object.metadata.namespace === namespace);
  return {
    clusterRoles: () => of("ClusterRole"),
    clusterRoleBindings: () => of("ClusterRoleBinding"),
    roles: (namespace) => of("Role", namespace),
    roleBindings: (namespace) => of("RoleBinding", namespace),
  };
}

export const fluxViewRules = [
  {
    apiGroups: ["kustomize.toolkit.fluxcd.io"],
    resources: ["kustomizations"],
    verbs: ["get", "list", "watch"],
  },
  { apiGroups: ["helm.toolkit.fluxcd.io"], resources: ["helmreleases"], verbs: ["get", "list"] },
];

/** alice views Flux everywhere; bob reads pods and logs in "apps"; devs view Flux in "apps"; ... */
export const rbacObjects: KubeObject[] = [
  clusterRole("flux-view", fluxViewRules),
  binding("alice-flux-view", { kind: "ClusterRole", name: "flux-view" }, [user("alice")]),
  role("apps", "pod-reader", [
    { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
    { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
  ]),
  binding("bob-pod-reader", { kind: "Role", name: "pod-reader" }, [user("bob")], "apps"),
  binding("devs-flux-view", { kind: "ClusterRole", name: "flux-view" }, [group("devs")], "apps"),
  clusterRole("scaler", [{ apiGroups: ["apps"], resources: ["*/scale"], verbs: ["update", "patch"] }]),
  binding("dave-scaler", { kind: "ClusterRole", name: "scaler" }, [user("dave")]),
  clusterRole("settings-editor", [
    { apiGroups: [""], resources: ["configmaps"], resourceNames: ["settings"], verbs: ["get", "update"] },
  ]),
  binding("dave-settings", { kind: "ClusterRole", name: "settings-editor" }, [user("dave")], "apps"),
  clusterRole("monitoring", [{ nonResourceURLs: ["/metrics", "/healthz/*"], verbs: ["get"] }]),
  binding("dave-monitoring", { kind: "ClusterRole", name: "monitoring" }, [user("dave")]),
  clusterRole("everything", [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]),
  binding(
    "kustomize-controller",
    { kind: "ClusterRole", name: "everything" },
    [{ kind: "ServiceAccount", name: "kustomize-controller" }],
    "flux-system",
  ),
  binding(
    "helm-controller-elsewhere",
    { kind: "ClusterRole", name: "everything" },
    [{ kind: "ServiceAccount", name: "helm-controller", namespace: "flux-system" }],
    "apps",
  ),
  clusterRole("flux-aggregate-view", [], {
    aggregationRule: {
      clusterRoleSelectors: [{ matchLabels: { "example.com/aggregate-to-flux-view": "true" } }],
    },
  }),
  clusterRole(
    "source-view",
    [{ apiGroups: ["source.toolkit.fluxcd.io"], resources: ["gitrepositories"], verbs: ["get"] }],
    { metadata: { name: "source-view", labels: { "example.com/aggregate-to-flux-view": "true" } } },
  ),
  binding("carol-aggregate", { kind: "ClusterRole", name: "flux-aggregate-view" }, [user("carol")]),
  binding("erin-dangling", { kind: "Role", name: "does-not-exist" }, [user("erin")], "apps"),
  clusterRole("impersonator", [
    { apiGroups: [""], resources: ["users"], resourceNames: ["bob"], verbs: ["impersonate"] },
    { apiGroups: [""], resources: ["groups"], resourceNames: ["devs"], verbs: ["impersonate"] },
  ]),
  binding("alice-impersonator", { kind: "ClusterRole", name: "impersonator" }, [user("alice")]),
  role("flux-system", "sa-impersonator", [
    { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] },
  ]),
  binding("alice-sa-impersonator", { kind: "Role", name: "sa-impersonator" }, [user("alice")], "flux-system"),
];
