// The built-in kinds the in-memory API server serves, with the names kubectl resolves them by.
import { STANDARD_VERBS, type ResourceType } from "./resource-type.ts";

interface BuiltinSpec {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  statusSubresource?: boolean;
  verbs?: string[];
  virtual?: boolean;
}

function builtin(spec: BuiltinSpec): ResourceType {
  return {
    group: spec.group,
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    plural: spec.plural,
    singular: spec.kind.toLowerCase(),
    namespaced: spec.namespaced,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    versions: [
      {
        name: spec.version,
        storage: true,
        printerColumns: [],
        statusSubresource: spec.statusSubresource ?? false,
      },
    ],
    verbs: spec.verbs ?? STANDARD_VERBS,
    ...(spec.virtual && { virtual: true }),
  };
}

const all = ["all"];
const createOnly = ["create"];
const readOnly = ["get", "list"];

export const BUILTIN_TYPES: readonly ResourceType[] = [
  builtin({
    group: "",
    version: "v1",
    kind: "Namespace",
    plural: "namespaces",
    namespaced: false,
    shortNames: ["ns"],
    statusSubresource: true,
  }),
  builtin({
    group: "",
    version: "v1",
    kind: "Node",
    plural: "nodes",
    namespaced: false,
    shortNames: ["no"],
    statusSubresource: true,
  }),
  builtin({
    group: "",
    version: "v1",
    kind: "Pod",
    plural: "pods",
    namespaced: true,
    shortNames: ["po"],
    categories: all,
    statusSubresource: true,
  }),
  builtin({
    group: "",
    version: "v1",
    kind: "Service",
    plural: "services",
    namespaced: true,
    shortNames: ["svc"],
    categories: all,
    statusSubresource: true,
  }),
  builtin({
    group: "",
    version: "v1",
    kind: "ConfigMap",
    plural: "configmaps",
    namespaced: true,
    shortNames: ["cm"],
  }),
  builtin({ group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true }),
  builtin({
    group: "",
    version: "v1",
    kind: "ServiceAccount",
    plural: "serviceaccounts",
    namespaced: true,
    shortNames: ["sa"],
  }),
  builtin({
    group: "",
    version: "v1",
    kind: "Event",
    plural: "events",
    namespaced: true,
    shortNames: ["ev"],
  }),
  builtin({
    group: "",
    version: "v1",
    kind: "PersistentVolumeClaim",
    plural: "persistentvolumeclaims",
    namespaced: true,
    shortNames: ["pvc"],
    statusSubresource: true,
  }),
  builtin({
    group: "apps",
    version: "v1",
    kind: "Deployment",
    plural: "deployments",
    namespaced: true,
    shortNames: ["deploy"],
    categories: all,
    statusSubresource: true,
  }),
  builtin({
    group: "apps",
    version: "v1",
    kind: "ReplicaSet",
    plural: "replicasets",
    namespaced: true,
    shortNames: ["rs"],
    categories: all,
    statusSubresource: true,
  }),
  builtin({
    group: "apps",
    version: "v1",
    kind: "StatefulSet",
    plural: "statefulsets",
    namespaced: true,
    shortNames: ["sts"],
    categories: all,
    statusSubresource: true,
  }),
  builtin({
    group: "apps",
    version: "v1",
    kind: "DaemonSet",
    plural: "daemonsets",
    namespaced: true,
    shortNames: ["ds"],
    categories: all,
    statusSubresource: true,
  }),
  builtin({
    group: "batch",
    version: "v1",
    kind: "Job",
    plural: "jobs",
    namespaced: true,
    categories: all,
    statusSubresource: true,
  }),
  builtin({
    group: "batch",
    version: "v1",
    kind: "CronJob",
    plural: "cronjobs",
    namespaced: true,
    shortNames: ["cj"],
    categories: all,
    statusSubresource: true,
  }),
  builtin({
    group: "events.k8s.io",
    version: "v1",
    kind: "Event",
    plural: "events",
    namespaced: true,
    shortNames: ["ev"],
  }),
  builtin({
    group: "networking.k8s.io",
    version: "v1",
    kind: "Ingress",
    plural: "ingresses",
    namespaced: true,
    shortNames: ["ing"],
    statusSubresource: true,
  }),
  builtin({
    group: "apiextensions.k8s.io",
    version: "v1",
    kind: "CustomResourceDefinition",
    plural: "customresourcedefinitions",
    namespaced: false,
    shortNames: ["crd", "crds"],
    statusSubresource: true,
  }),
  builtin({
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "ClusterRole",
    plural: "clusterroles",
    namespaced: false,
  }),
  builtin({
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "ClusterRoleBinding",
    plural: "clusterrolebindings",
    namespaced: false,
  }),
  builtin({
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "Role",
    plural: "roles",
    namespaced: true,
  }),
  builtin({
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "RoleBinding",
    plural: "rolebindings",
    namespaced: true,
  }),
  builtin({
    group: "authorization.k8s.io",
    version: "v1",
    kind: "SelfSubjectAccessReview",
    plural: "selfsubjectaccessreviews",
    namespaced: false,
    verbs: createOnly,
    virtual: true,
  }),
  builtin({
    group: "authorization.k8s.io",
    version: "v1",
    kind: "SelfSubjectRulesReview",
    plural: "selfsubjectrulesreviews",
    namespaced: false,
    verbs: createOnly,
    virtual: true,
  }),
  builtin({
    group: "authorization.k8s.io",
    version: "v1",
    kind: "SubjectAccessReview",
    plural: "subjectaccessreviews",
    namespaced: false,
    verbs: createOnly,
    virtual: true,
  }),
  builtin({
    group: "metrics.k8s.io",
    version: "v1beta1",
    kind: "PodMetrics",
    plural: "pods",
    namespaced: true,
    verbs: readOnly,
    virtual: true,
  }),
  builtin({
    group: "metrics.k8s.io",
    version: "v1beta1",
    kind: "NodeMetrics",
    plural: "nodes",
    namespaced: false,
    verbs: readOnly,
    virtual: true,
  }),
];
