// Questions people ask, each with the section that must rank in the top three: the relevance
// contract of search_flux_docs. `expect` is `<path>#<anchor>` ("" anchor: the text before the
// first heading), or a few such sections when each answers the question equally well.

export interface GoldenQuery {
  query: string;
  expect: string | readonly string[];
}

/** Answered from the knowledge base alone. */
export const KNOWLEDGE_QUERIES: readonly GoldenQuery[] = [
  { query: "helm upgrade failed retries exhausted", expect: "kinds/helmrelease#when-retries-are-exhausted" },
  { query: "dependency not ready", expect: "reference/reasons#dependencynotready" },
  { query: "kustomize build failed", expect: "reference/reasons#buildfailed" },
  { query: "suspend a helmrelease", expect: "kinds/helmrelease#suspend-resume-and-force" },
  { query: "health check failed timeout waiting for", expect: "reference/reasons#healthcheckfailed" },
  { query: "Source artifact not found", expect: "reference/reasons#artifactfailed" },
  {
    query: "kustomization path not found",
    expect: ["reference/reasons#artifactfailed", "troubleshooting/kustomization#by-reason"],
  },
  { query: "helm install failed context deadline exceeded", expect: "reference/reasons#installfailed" },
  { query: "rollback succeeded but ready is false", expect: "reference/reasons#rollbacksucceeded" },
  { query: "GitOperationFailed", expect: "reference/reasons#gitoperationfailed" },
  { query: "authentication required git clone", expect: "reference/reasons#authenticationfailed" },
  { query: "no chart with version matching found", expect: "reference/reasons#invalidchartreference" },
  { query: "ChartPullFailed", expect: "reference/reasons#chartpullfailed" },
  {
    query: "cannot patch field is immutable spec.selector",
    expect: "troubleshooting/helmrelease#immutable-fields",
  },
  {
    query: "another operation is in progress pending-upgrade",
    expect: "troubleshooting/helmrelease#another-operation-in-progress",
  },
  { query: "what does Stalled mean", expect: "reference/conditions#stalled" },
  {
    query: "reconcile now requestedAt annotation",
    expect: "concepts/reconciliation#requesting-a-reconciliation",
  },
  {
    query: "reset helmrelease failure counters",
    expect: "concepts/reconciliation#force-and-reset-helmrelease",
  },
  {
    query: "postBuild substitute variables from configmap",
    expect: "concepts/substitution#substitute-and-substitutefrom",
  },
  { query: "escape ${var} literal dollar", expect: "concepts/substitution#syntax" },
  {
    query: "drift detection helmrelease",
    expect: ["concepts/drift-detection#helmreleases", "fields/helmrelease#specdriftdetection"],
  },
  {
    query: "prune garbage collection objects removed from git",
    expect: "concepts/pruning-and-inventory#pruning",
  },
  { query: "inventory entry id format", expect: "concepts/pruning-and-inventory#inventory" },
  { query: "dependsOn readyExpr CEL", expect: "concepts/dependencies#readyexpr" },
  {
    query: "lastAppliedRevision differs from lastAttemptedRevision",
    expect: "concepts/status#revisions-applied-versus-attempted",
  },
  { query: "kstatus InProgress failed", expect: "concepts/status#kstatus" },
  { query: "helmrelease valuesFrom configmap merge order", expect: "kinds/helmrelease#values" },
  {
    query: "sops age decryption secret",
    expect: "concepts/secrets-and-decryption#sops-decryption-in-kustomizations",
  },
  { query: "fluxinstance sync git repository", expect: "kinds/fluxinstance#sync" },
  {
    query: "flux operator distribution version upgrade",
    expect: ["kinds/fluxinstance#distribution", "fields/fluxinstance#specdistribution"],
  },
  { query: "fluxreport reconcilers failing suspended", expect: "kinds/fluxreport#what-it-contains" },
  { query: "resourceset permute inputs", expect: "operator/resourceset-templates#combining-inputs" },
  { query: "preview environment per pull request", expect: "kinds/resourcesetinputprovider#" },
  {
    query: "image policy semver range",
    expect: ["kinds/imagepolicy#key-fields", "kinds/imagepolicy#example"],
  },
  { query: "imagepolicy setter marker comment", expect: "kinds/imageupdateautomation#setter-markers" },
  { query: "alerts not sent to slack", expect: "troubleshooting/notifications#alerts-do-not-arrive" },
  { query: "receiver webhook path", expect: "kinds/receiver#status-and-the-webhook-url" },
  { query: "oci helm chart layerSelector", expect: "kinds/ocirepository#example-for-a-helm-chart" },
  {
    query: "helmrepository type oci no status",
    expect: "kinds/helmrepository#oci-helm-repositories-are-static",
  },
  { query: "s3 minio bucket", expect: "kinds/bucket#" },
  { query: "read-only mode", expect: "mcp/safety#read-only-mode" },
  { query: "are secrets masked", expect: "mcp/safety#secret-masking" },
  { query: "switch kubeconfig context", expect: "mcp/contexts#switching-and-per-call-contexts" },
  { query: "stuck terminating finalizer", expect: "troubleshooting/stuck-reconciliation#stuck-terminating" },
  { query: "hr remediation", expect: "kinds/helmrelease#install-upgrade-and-remediation" },
  { query: "kustomizaton buld faild", expect: "reference/reasons#buildfailed" },
  { query: "new image tag not deployed", expect: "troubleshooting/image-automation#" },
  {
    query: "flux trace which kustomization manages this deployment",
    expect: ["concepts/flux-cli#flux-trace-and-flux-tree", "concepts/flux-cli#"],
  },
];

/** Answered from the schemas of the real Flux CRDs served by the cluster. */
export const SCHEMA_QUERIES: readonly GoldenQuery[] = [
  {
    query: "helmrelease spec.install.remediation.retries",
    expect: "crd/helmrelease/v2#specinstallremediation",
  },
  {
    query: "kustomization spec.postBuild.substituteFrom optional",
    expect: "crd/kustomization/v1#specpostbuildsubstitutefrom",
  },
  { query: "fluxinstance spec.distribution.variant", expect: "crd/fluxinstance/v1#specdistribution" },
  { query: "gitrepository spec.ref semver", expect: "crd/gitrepository/v1#specref" },
  {
    query: "ocirepository layerSelector mediaType operation",
    expect: "crd/ocirepository/v1#speclayerselector",
  },
];
