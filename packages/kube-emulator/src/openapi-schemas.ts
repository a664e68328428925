// The schemas the OpenAPI documents share (object and list metadata, Status, Patch) and the
// short, permissive schemas built-in kinds get: enough for `kubectl explain` to describe their
// top-level fields, while accepting anything below them.

type Schema = Record<string, unknown>;

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
const OBJECT_META = `${META}.ObjectMeta`;
const LIST_META = `${META}.ListMeta`;
export const STATUS = `${META}.Status`;
export const PATCH = `${META}.Patch`;
const OWNER_REFERENCE = `${META}.OwnerReference`;
const MANAGED_FIELDS_ENTRY = `${META}.ManagedFieldsEntry`;

export function ref(name: string): Schema {
  return { $ref: `#/components/schemas/${name}` };
}

/** A property that points at a shared schema but keeps its own description, as Kubernetes writes it. */
function refProperty(name: string, description: string): Schema {
  return { description, allOf: [ref(name)] };
}

const string = (description: string): Schema => ({ type: "string", description });
const time = (description: string): Schema => ({ type: "string", format: "date-time", description });
const integer = (description: string): Schema => ({ type: "integer", format: "int64", description });
const boolean = (description: string): Schema => ({ type: "boolean", description });
const stringMap = (description: string): Schema => ({
  type: "object",
  additionalProperties: { type: "string", default: "" },
  description,
});
const openObject = (description: string): Schema => ({
  type: "object",
  "x-kubernetes-preserve-unknown-fields": true,
  description,
});
const openArray = (description: string): Schema => ({
  type: "array",
  items: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
  description,
});

export const API_VERSION_PROPERTY = string(
  "The versioned schema of this representation, as group/version (or just the version for the core group).",
);
export const KIND_PROPERTY = string("The type of object this document represents, in CamelCase.");
export const METADATA_PROPERTY = refProperty(OBJECT_META, "Standard metadata of the object.");
export const LIST_METADATA_PROPERTY = refProperty(LIST_META, "Standard metadata of the list.");

/** Schemas every group-version document includes, keyed by their component name. */
export const SHARED_SCHEMAS: Record<string, Schema> = {
  [OBJECT_META]: {
    description: "Metadata every persisted object carries: identity, labels, annotations and ownership.",
    type: "object",
    properties: {
      name: string(
        "Name of the object, unique within its namespace (or the cluster for cluster-scoped kinds).",
      ),
      generateName: string("Prefix the server uses to generate a unique name when name is left empty."),
      namespace: string("Namespace the object lives in; empty for cluster-scoped objects."),
      uid: string("Server-assigned identifier, unique over the whole lifetime of the cluster."),
      resourceVersion: string(
        "Opaque version of the object, changed on every write; used for optimistic locking.",
      ),
      generation: integer("Sequence number of the desired state, bumped when the spec changes."),
      creationTimestamp: time("When the server created the object."),
      deletionTimestamp: time("When deletion was requested; the object goes once its finalizers are gone."),
      deletionGracePeriodSeconds: integer(
        "Seconds the object is given to terminate gracefully once deleted.",
      ),
      labels: stringMap("Key/value pairs used to organise and select objects."),
      annotations: stringMap("Key/value pairs for tools and humans, not used for selection."),
      finalizers: {
        type: "array",
        items: { type: "string", default: "" },
        "x-kubernetes-list-type": "set",
        description: "Conditions that must be cleared before a deleted object is removed.",
      },
      ownerReferences: {
        type: "array",
        items: { ...ref(OWNER_REFERENCE), default: {} },
        "x-kubernetes-list-map-keys": ["uid"],
        "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "uid",
        "x-kubernetes-patch-strategy": "merge",
        description: "Objects this one belongs to; it is garbage-collected once all owners are gone.",
      },
      managedFields: {
        type: "array",
        items: { ...ref(MANAGED_FIELDS_ENTRY), default: {} },
        description: "Which manager set which fields, as tracked by server-side apply.",
      },
    },
  },
  [OWNER_REFERENCE]: {
    description: "Identifies an object that owns the referring one.",
    type: "object",
    required: ["apiVersion", "kind", "name", "uid"],
    properties: {
      apiVersion: string("API version of the owner."),
      kind: string("Kind of the owner."),
      name: string("Name of the owner."),
      uid: string("UID of the owner."),
      controller: boolean("Whether the owner is the managing controller."),
      blockOwnerDeletion: boolean("Whether the owner cannot be deleted before this object."),
    },
    "x-kubernetes-map-type": "atomic",
  },
  [MANAGED_FIELDS_ENTRY]: {
    description: "The fields one manager set with one operation.",
    type: "object",
    properties: {
      manager: string("Name of the field manager."),
      operation: string("Apply or Update."),
      apiVersion: string("Version of the object the fields refer to."),
      time: time("When the fields were last changed."),
      fieldsType: string("Format of fieldsV1; always FieldsV1."),
      fieldsV1: openObject("The set of fields, as a trie."),
      subresource: string("Subresource the fields were written through, if any."),
    },
  },
  [LIST_META]: {
    description: "Metadata of a list response.",
    type: "object",
    properties: {
      resourceVersion: string("Version of the collection the list was read at."),
      continue: string("Token to pass back to get the next page, when the list was truncated."),
      remainingItemCount: integer("Items left after this page, when known."),
    },
  },
  [STATUS]: {
    description: "Result of an operation that returns no object, such as a delete or a failure.",
    type: "object",
    properties: {
      apiVersion: API_VERSION_PROPERTY,
      kind: KIND_PROPERTY,
      metadata: LIST_METADATA_PROPERTY,
      status: string("Success or Failure."),
      message: string("Human-readable description of the result."),
      reason: string("Machine-readable reason for a failure."),
      details: openObject("Extra data about the reason."),
      code: { type: "integer", format: "int32", description: "HTTP status code of the result." },
    },
  },
  [PATCH]: {
    description: "The body of a PATCH request, in the format its Content-Type names.",
    type: "object",
  },
};

interface BuiltinDoc {
  description: string;
  fields: Record<string, Schema>;
  required?: string[];
}

const specAndStatus = (what: string): Record<string, Schema> => ({
  spec: openObject(`Desired state of the ${what}.`),
  status: openObject(`Observed state of the ${what}, written by the system.`),
});

const roleRules = {
  rules: openArray("Policy rules: which verbs are allowed on which resources."),
};
const bindingFields = {
  roleRef: openObject("The Role or ClusterRole being granted."),
  subjects: openArray("Users, groups and service accounts the role is granted to."),
};

/** Descriptions and top-level fields of built-in kinds, keyed by `group/Kind`. */
const BUILTIN_DOCS: Record<string, BuiltinDoc> = {
  "/Namespace": {
    description: "A scope for names, policies and quotas.",
    fields: specAndStatus("namespace"),
  },
  "/Node": { description: "A machine that runs pods.", fields: specAndStatus("node") },
  "/Pod": {
    description: "A group of containers scheduled together on one node.",
    fields: specAndStatus("pod"),
  },
  "/Service": {
    description: "A stable network address in front of a set of pods.",
    fields: specAndStatus("service"),
  },
  "/ConfigMap": {
    description: "Non-confidential configuration as key/value pairs.",
    fields: {
      data: stringMap("UTF-8 configuration values by key."),
      binaryData: { ...stringMap("Binary configuration values by key, base64-encoded."), format: "byte" },
      immutable: boolean("When true, the data can no longer be changed."),
    },
  },
  "/Secret": {
    description: "Confidential data such as passwords, tokens or keys.",
    fields: {
      type: string("What the secret holds, e.g. Opaque or kubernetes.io/tls; decides the keys it must have."),
      data: stringMap("Secret values by key, base64-encoded."),
      stringData: stringMap("Write-only convenience: plain-text values merged into data on write."),
      immutable: boolean("When true, the data can no longer be changed."),
    },
  },
  "/ServiceAccount": {
    description: "An identity for processes running in pods.",
    fields: {
      secrets: openArray("Secrets pods running as this account may use."),
      imagePullSecrets: openArray("Secrets used to pull images for pods running as this account."),
      automountServiceAccountToken: boolean("Whether pods get an API token mounted by default."),
    },
  },
  "/Event": {
    description: "A report of something that happened to an object.",
    fields: {
      involvedObject: openObject("The object the event is about."),
      reason: string("Short machine-readable cause."),
      message: string("Human-readable description."),
      type: string("Normal or Warning."),
      source: openObject("Component and host that reported the event."),
      firstTimestamp: time("When the event was first seen."),
      lastTimestamp: time("When the event was last seen."),
      count: integer("How many times the event was seen."),
      eventTime: time("When the event was first seen, with microsecond precision."),
      series: openObject("Data about a recurring event."),
      action: string("What was done, or failed to be done."),
      related: openObject("A secondary object involved."),
      reportingComponent: string("Controller that emitted the event."),
      reportingInstance: string("Instance of the controller that emitted the event."),
    },
    required: ["metadata", "involvedObject"],
  },
  "/PersistentVolumeClaim": {
    description: "A request for storage by a user.",
    fields: specAndStatus("claim"),
  },
  "apps/Deployment": {
    description: "Declarative rollouts of a replicated, stateless set of pods.",
    fields: specAndStatus("deployment"),
  },
  "apps/ReplicaSet": {
    description: "Keeps a number of identical pods running.",
    fields: specAndStatus("replica set"),
  },
  "apps/StatefulSet": {
    description: "Pods with stable identities and storage, started and updated in order.",
    fields: specAndStatus("stateful set"),
  },
  "apps/DaemonSet": {
    description: "Runs one pod on each eligible node.",
    fields: specAndStatus("daemon set"),
  },
  "batch/Job": { description: "Runs pods until a number of them complete.", fields: specAndStatus("job") },
  "batch/CronJob": { description: "Creates jobs on a cron schedule.", fields: specAndStatus("cron job") },
  "events.k8s.io/Event": {
    description: "A report of something that happened to an object.",
    fields: {
      regarding: openObject("The object the event is about."),
      related: openObject("A secondary object involved."),
      note: string("Human-readable description."),
      reason: string("Short machine-readable cause."),
      type: string("Normal or Warning."),
      action: string("What was done, or failed to be done."),
      eventTime: time("When the event was first seen."),
      series: openObject("Data about a recurring event."),
      reportingController: string("Controller that emitted the event."),
      reportingInstance: string("Instance of the controller that emitted the event."),
      deprecatedSource: openObject("Legacy source of the event."),
      deprecatedFirstTimestamp: time("Legacy first-seen time."),
      deprecatedLastTimestamp: time("Legacy last-seen time."),
      deprecatedCount: integer("Legacy count of occurrences."),
    },
    required: ["eventTime"],
  },
  "networking.k8s.io/Ingress": {
    description: "HTTP routes from outside the cluster to services.",
    fields: specAndStatus("ingress"),
  },
  "networking.k8s.io/NetworkPolicy": {
    description: "Which traffic may reach and leave the selected pods.",
    fields: { spec: openObject("Pods selected, and the ingress and egress rules for them.") },
  },
  "autoscaling/HorizontalPodAutoscaler": {
    description: "Scales a workload's replicas on observed metrics.",
    fields: specAndStatus("autoscaler"),
  },
  "policy/PodDisruptionBudget": {
    description: "How many pods of a set voluntary disruptions may take down at once.",
    fields: specAndStatus("budget"),
  },
  "apiextensions.k8s.io/CustomResourceDefinition": {
    description: "Registers a custom resource type with the API server.",
    fields: specAndStatus("definition"),
    required: ["spec"],
  },
  "rbac.authorization.k8s.io/ClusterRole": {
    description: "A cluster-wide set of permissions.",
    fields: { ...roleRules, aggregationRule: openObject("Selects ClusterRoles whose rules are merged in.") },
  },
  "rbac.authorization.k8s.io/Role": {
    description: "A set of permissions within a namespace.",
    fields: roleRules,
  },
  "rbac.authorization.k8s.io/ClusterRoleBinding": {
    description: "Grants a ClusterRole cluster-wide.",
    fields: bindingFields,
    required: ["roleRef"],
  },
  "rbac.authorization.k8s.io/RoleBinding": {
    description: "Grants a Role or ClusterRole within a namespace.",
    fields: bindingFields,
    required: ["roleRef"],
  },
  "authorization.k8s.io/SelfSubjectAccessReview": {
    description: "Asks whether the caller may perform an action.",
    fields: specAndStatus("review"),
    required: ["spec"],
  },
  "authorization.k8s.io/SelfSubjectRulesReview": {
    description: "Asks which actions the caller may perform in a namespace.",
    fields: specAndStatus("review"),
    required: ["spec"],
  },
  "authorization.k8s.io/SubjectAccessReview": {
    description: "Asks whether a given user or group may perform an action.",
    fields: specAndStatus("review"),
    required: ["spec"],
  },
  "metrics.k8s.io/PodMetrics": {
    description: "Resource usage of a pod's containers.",
    fields: {
      timestamp: time("End of the window the usage was measured over."),
      window: string("Length of the measurement window."),
      containers: openArray("Usage of each container."),
    },
  },
  "metrics.k8s.io/NodeMetrics": {
    description: "Resource usage of a node.",
    fields: {
      timestamp: time("End of the window the usage was measured over."),
      window: string("Length of the measurement window."),
      usage: stringMap("Usage by resource name, as quantities."),
    },
  },
};

/** The permissive schema of a built-in kind (without its group-version-kind extension). */
export function builtinSchema(group: string, kind: string): Schema {
  const doc = BUILTIN_DOCS[`${group}/${kind}`] ?? {
    description: `${kind} is served by this API server.`,
    fields: specAndStatus(kind),
  };
  return {
    description: doc.description,
    type: "object",
    ...(doc.required && { required: doc.required }),
    properties: {
      apiVersion: API_VERSION_PROPERTY,
      kind: KIND_PROPERTY,
      metadata: METADATA_PROPERTY,
      ...doc.fields,
    },
  };
}
