// Questions Flux users asked in the issues and discussions of the Flux projects, in their words
// (shortened), each with where it was asked and the sections of the knowledge base that answer it:
// `<path>#<anchor>`, or a few such sections when each answers it. The set measures how well
// search_flux_docs answers real questions with no cluster at all.

export interface UserQuestion {
  question: string;
  /** The issue, pull request or discussion the question comes from. */
  source: string;
  expect: readonly string[];
}

export const USER_QUESTIONS: readonly UserQuestion[] = [
  // HelmRelease
  {
    question: "how do I enable drift detection for a HelmRelease",
    source: "https://github.com/fluxcd/helm-controller/issues/643",
    expect: [
      "fields/helmrelease#specdriftdetection",
      "concepts/drift-detection#helmreleases",
      "kinds/helmrelease#drift-detection",
    ],
  },
  {
    question:
      "helm drift detection reports spurious diff on an annotation added by a mutating webhook, how to ignore it",
    source: "https://github.com/fluxcd/helm-controller/issues/643",
    expect: ["fields/helmrelease#specdriftdetection", "concepts/drift-detection#helmreleases"],
  },
  {
    question: "disable drift detection for kube-prometheus-stack webhooks and rules",
    source: "https://github.com/fluxcd/flux2/pull/3676",
    expect: ["fields/helmrelease#specdriftdetection", "concepts/drift-detection#helmreleases"],
  },
  {
    question: "how to get out of the upgrade retries exhausted situation",
    source: "https://github.com/fluxcd/flux2/issues/1878",
    expect: [
      "kinds/helmrelease#when-retries-are-exhausted",
      "troubleshooting/helmrelease#getting-it-to-try-again",
    ],
  },
  {
    question: "retry a failed helm upgrade without changing the helmrelease",
    source: "https://github.com/fluxcd/helm-controller/issues/297",
    expect: [
      "concepts/reconciliation#force-and-reset-helmrelease",
      "kinds/helmrelease#when-retries-are-exhausted",
      "troubleshooting/helmrelease#getting-it-to-try-again",
    ],
  },
  {
    question: "stalled helm release stays stuck forever even after the underlying problem is fixed",
    source: "https://github.com/fluxcd/flux2/issues/5592",
    expect: [
      "kinds/helmrelease#when-retries-are-exhausted",
      "troubleshooting/helmrelease#getting-it-to-try-again",
      "reference/reasons#retriesexceeded",
    ],
  },
  {
    question: "HelmRelease stuck in reconciliation in progress, how to force the release",
    source: "https://github.com/fluxcd/helm-controller/issues/1101",
    expect: [
      "concepts/reconciliation#force-and-reset-helmrelease",
      "kinds/helmrelease#suspend-resume-and-force",
      "troubleshooting/helmrelease#getting-it-to-try-again",
    ],
  },
  {
    question: "Helm upgrade failed: another operation (install/upgrade/rollback) is in progress",
    source: "https://github.com/fluxcd/helm-controller/issues/149",
    expect: ["troubleshooting/helmrelease#another-operation-in-progress"],
  },
  {
    question: "HelmChart is not reconciled when the chart in the GitRepository changes",
    source: "https://github.com/fluxcd/flux2/issues/1427",
    expect: [
      "troubleshooting/helmrelease#chart-updates-not-picked-up",
      "fields/helmrelease#specchart",
      "fields/helmchart#chart-and-source",
    ],
  },
  {
    question: "upgrade the release when values change but the chart version stays the same",
    source: "https://github.com/fluxcd/website/issues/726",
    expect: ["kinds/helmrelease#values", "fields/helmrelease#values"],
  },
  {
    question: "use an OCIRepository as chartRef so a new chart digest triggers an upgrade",
    source: "https://github.com/fluxcd/helm-controller/pull/905",
    expect: [
      "kinds/helmrelease#where-the-chart-comes-from",
      "fields/helmrelease#specchartref",
      "kinds/ocirepository#example-for-a-helm-chart",
    ],
  },
  {
    question: "support Helm charts stored in OCI registries",
    source: "https://github.com/fluxcd/source-controller/issues/124",
    expect: [
      "kinds/ocirepository#example-for-a-helm-chart",
      "kinds/helmrepository#oci-helm-repositories-are-static",
      "fields/ocirepository#speclayerselector",
    ],
  },
  {
    question: "HelmRelease fails with field is immutable on a Job",
    source: "https://github.com/fluxcd/helm-controller/issues/939",
    expect: ["troubleshooting/helmrelease#immutable-fields"],
  },
  // Kustomization
  {
    question: "postBuild substitute: well-defined vars that were never replaced",
    source: "https://github.com/fluxcd/flux2/issues/917",
    expect: [
      "concepts/substitution#failures",
      "concepts/substitution#substitute-and-substitutefrom",
      "fields/kustomization#specpostbuild",
    ],
  },
  {
    question: "are postBuild variables substituted in the Kustomization's own healthChecks",
    source: "https://github.com/fluxcd/kustomize-controller/issues/1126",
    expect: [
      "concepts/substitution#",
      "concepts/substitution#substitute-and-substitutefrom",
      "fields/kustomization#specpostbuild",
    ],
  },
  {
    question: "Secret is SOPS encrypted, configuring decryption is required for this secret to be reconciled",
    source: "https://github.com/fluxcd/flux2/issues/4982",
    expect: [
      "concepts/secrets-and-decryption#sops-decryption-in-kustomizations",
      "fields/kustomization#specdecryption",
    ],
  },
  {
    question: "decrypt sops secrets with an age key for all kustomizations",
    source: "https://github.com/fluxcd/kustomize-controller/issues/1465",
    expect: [
      "concepts/secrets-and-decryption#sops-decryption-in-kustomizations",
      "fields/kustomization#specdecryption",
    ],
  },
  {
    question: "kustomization wait true ignores healthChecks?",
    source: "https://github.com/fluxcd/kustomize-controller/issues/1407",
    expect: [
      "fields/kustomization#health-checks",
      "concepts/health-checks#kustomization-wait-and-healthchecks",
    ],
  },
  {
    question: "Kustomization healthChecks on a deployment does not work, dependency is not ready",
    source: "https://github.com/fluxcd/flux2/issues/1193",
    expect: [
      "concepts/health-checks#kustomization-wait-and-healthchecks",
      "fields/kustomization#health-checks",
      "concepts/dependencies#when-is-a-dependency-ready",
    ],
  },
  {
    question: "allow disabling prune on certain resources like the kube-system namespace",
    source: "https://github.com/fluxcd/kustomize-controller/issues/237",
    expect: [
      "concepts/pruning-and-inventory#pruning",
      "fields/kustomization#apply-prune-and-deletion",
      "reference/annotations-and-labels#on-objects-applied-by-a-kustomization-set-them-in-git",
    ],
  },
  {
    question: "prune stale resources but keep them when the Kustomization itself is deleted",
    source: "https://github.com/fluxcd/kustomize-controller/pull/1314",
    expect: [
      "fields/kustomization#apply-prune-and-deletion",
      "concepts/pruning-and-inventory#deleting-a-kustomization",
    ],
  },
  {
    question: "flux diff errors on immutable field although the Kustomization has force true",
    source: "https://github.com/fluxcd/flux2/issues/3032",
    expect: ["fields/kustomization#apply-prune-and-deletion", "troubleshooting/helmrelease#immutable-fields"],
  },
  {
    question: "kustomize controller unable to decrypt kms encoded yaml file data",
    source: "https://github.com/fluxcd/kustomize-controller/issues/1147",
    expect: [
      "concepts/secrets-and-decryption#sops-decryption-in-kustomizations",
      "fields/kustomization#specdecryption",
    ],
  },
  {
    question:
      "HelmRelease from a GitRepository: lastAppliedRevision shows the chart version instead of the git revision",
    source: "https://github.com/fluxcd/helm-controller/issues/184",
    expect: ["fields/helmrelease#specchart", "concepts/status#revisions-applied-versus-attempted"],
  },
  // Sources
  {
    question: "authenticate a GitRepository with a GitHub App",
    source: "https://github.com/fluxcd/source-controller/pull/1647",
    expect: ["fields/gitrepository#authentication-and-transport"],
  },
  {
    question: "GitRepository authentication required with a GitHub personal access token",
    source: "https://github.com/fluxcd/flux2/issues/3668",
    expect: ["fields/gitrepository#authentication-and-transport", "reference/reasons#authenticationfailed"],
  },
  {
    question: "GitRepository fails after upgrade: app ID must be provided to use github app authentication",
    source: "https://github.com/fluxcd/flux2/issues/5415",
    expect: ["fields/gitrepository#authentication-and-transport"],
  },
  {
    question: "create a new helm release only when files in one folder of the Git repository change",
    source: "https://github.com/fluxcd/source-controller/issues/1252",
    expect: [
      "kinds/artifactgenerator#",
      "kinds/artifactgenerator#example-one-artifact-per-app-of-a-monorepo",
      "fields/gitrepository#content-of-the-artifact",
      "fields/helmrelease#specchart",
    ],
  },
  // Gitless GitOps and OCI
  {
    question: "push an OCI artifact from kustomize build output on stdin",
    source: "https://github.com/fluxcd/flux2/issues/3256",
    expect: ["guides/gitless-gitops#publishing-from-ci"],
  },
  {
    question: "flux bootstrap doesn't support OCI repositories, how to sync the cluster from OCI artifacts",
    source: "https://github.com/fluxcd/flux2/issues/5043",
    expect: ["guides/gitless-gitops#the-whole-cluster-from-oci", "fields/fluxinstance#specsync"],
  },
  {
    question: "add source and revision metadata when publishing artifacts with flux push artifact",
    source: "https://github.com/fluxcd/flux2/pull/2856",
    expect: ["guides/gitless-gitops#publishing-from-ci"],
  },
  {
    question: "custom annotations on pushed OCI artifacts",
    source: "https://github.com/fluxcd/flux2/pull/3653",
    expect: ["guides/gitless-gitops#publishing-from-ci"],
  },
  {
    question: "Flux bootstrap for OCI-compliant container registries",
    source: "https://github.com/fluxcd/flux2/pull/4749",
    expect: ["guides/gitless-gitops#the-whole-cluster-from-oci"],
  },
  // ArtifactGenerator
  {
    question: "ArtifactGenerator for monorepo decomposition and Helm chart composition from multiple sources",
    source: "https://github.com/fluxcd/website/issues/2493",
    expect: [
      "kinds/artifactgenerator#",
      "kinds/artifactgenerator#example-one-artifact-per-app-of-a-monorepo",
      "kinds/artifactgenerator#example-compose-a-chart-with-environment-values",
    ],
  },
  {
    question: "use an ExternalArtifact as an ArtifactGenerator source",
    source: "https://github.com/fluxcd/source-watcher/pull/300",
    expect: ["fields/artifactgenerator#specsources", "kinds/artifactgenerator#"],
  },
  // Repository structure
  {
    question: "can one Flux deploy namespace specific directories from a monorepo",
    source: "https://github.com/fluxcd/multi-tenancy/issues/15",
    expect: ["guides/repository-structure#monorepo"],
  },
  {
    question:
      "monorepo with a single main branch: how to test base changes in staging before promoting to production",
    source: "https://github.com/fluxcd/flux2/issues/3037",
    expect: [
      "guides/repository-structure#promotion-between-environments",
      "guides/repository-structure#monorepo",
    ],
  },
  {
    question: "multi-cluster topologies: single repo with multiple paths vs branches vs multiple repos",
    source: "https://github.com/fluxcd/flux2/issues/611",
    expect: ["guides/repository-structure#fleets-of-clusters", "guides/repository-structure#monorepo"],
  },
  {
    question: "repository structure example with dependencies between apps and infrastructure",
    source: "https://github.com/fluxcd/flux2-multi-tenancy/issues/89",
    expect: ["guides/repository-structure#building-blocks", "guides/best-practices#structure"],
  },
  // Terraform
  {
    question: "bootstrap Flux with Terraform from an existing repository with https username and password",
    source: "https://github.com/fluxcd/terraform-provider-flux/issues/705",
    expect: ["guides/terraform-bootstrap#terraform-provider-flux-flux_bootstrap_git"],
  },
  {
    question: "does the flux terraform provider need API access to the repo and must the path exist",
    source: "https://github.com/fluxcd/terraform-provider-flux/issues/652",
    expect: ["guides/terraform-bootstrap#terraform-provider-flux-flux_bootstrap_git"],
  },
  {
    question: "customize the flux controllers with flux_bootstrap_git",
    source: "https://github.com/fluxcd/terraform-provider-flux/pull/311",
    expect: ["guides/terraform-bootstrap#terraform-provider-flux-flux_bootstrap_git"],
  },
  {
    question: "deploy the Flux Operator and FluxInstance with Terraform or a HelmRelease",
    source: "https://github.com/controlplaneio-fluxcd/flux-operator/issues/868",
    expect: [
      "guides/terraform-bootstrap#flux-operator-bootstrap-module-recommended-with-the-operator",
      "guides/terraform-bootstrap#helm-provider",
    ],
  },
  // Flux Operator and FluxInstance
  {
    question: "migrate a cluster bootstrapped with flux bootstrap to the Flux Operator",
    source: "https://github.com/controlplaneio-fluxcd/flux-operator/pull/15",
    expect: ["operator/overview#migrating-from-bootstrap"],
  },
  {
    question: "FluxInstance distribution artifact from a Git repository instead of an OCI registry",
    source: "https://github.com/controlplaneio-fluxcd/flux-operator/issues/639",
    expect: ["fields/fluxinstance#specdistribution", "kinds/fluxinstance#distribution"],
  },
  {
    question:
      "customize flux controllers: set --concurrent and memory limits without losing the default args",
    source: "https://github.com/fluxcd/flux2/issues/2408",
    expect: ["fields/fluxinstance#customization-and-storage", "fields/fluxinstance#components-and-cluster"],
  },
  {
    question: "CPU limit too low for kustomize-controller at scale, set resources of the controllers",
    source: "https://github.com/fluxcd/flux2/issues/685",
    expect: ["fields/fluxinstance#components-and-cluster", "fields/fluxinstance#customization-and-storage"],
  },
  {
    question: "insecure plain HTTP OCI registry for the FluxInstance sync",
    source: "https://github.com/controlplaneio-fluxcd/flux-operator/issues/81",
    expect: ["fields/fluxinstance#customization-and-storage", "fields/fluxinstance#specsync"],
  },
  // ResourceSets
  {
    question: "ResourceSet dynamic inputs for preview environments from pull requests",
    source: "https://github.com/controlplaneio-fluxcd/flux-operator/issues/140",
    expect: [
      "kinds/resourcesetinputprovider#",
      "kinds/resourcesetinputprovider#example-one-input-per-open-pull-request",
      "fields/resourcesetinputprovider#provider",
    ],
  },
  {
    question: "add the pull request description to the ResourceSetInputProvider exported inputs",
    source: "https://github.com/controlplaneio-fluxcd/flux-operator/issues/236",
    expect: ["kinds/resourcesetinputprovider#exported-inputs"],
  },
  {
    question: "permute inputs from all input providers into a single input set",
    source: "https://github.com/controlplaneio-fluxcd/flux-operator/issues/409",
    expect: ["operator/resourceset-templates#combining-inputs", "fields/resourceset#inputs"],
  },
  {
    question: "ResourceSet inputs and inputsFrom precedence",
    source: "https://github.com/controlplaneio-fluxcd/flux-operator/issues/365",
    expect: ["fields/resourceset#inputs", "operator/resourceset-templates#combining-inputs"],
  },
  {
    question: "multiple ResourceSet inputs from two providers are not concatenated as expected",
    source: "https://github.com/fluxcd/flux2/issues/5647",
    expect: ["fields/resourceset#inputs", "operator/resourceset-templates#combining-inputs"],
  },
  {
    question: "Permute with an empty input provider renders a set missing the provider keys",
    source: "https://github.com/controlplaneio-fluxcd/flux-operator/pull/828",
    expect: ["fields/resourceset#inputs"],
  },
  // Web UI
  {
    question: "Flux web UI ingress, SSO and RBAC configuration",
    source: "https://github.com/controlplaneio-fluxcd/flux-operator/issues/520",
    expect: ["guides/web-ui#authentication-and-permissions", "guides/web-ui#reaching-it"],
  },
  {
    question: "single sign-on with Dex for the Flux status page, limit users with Kubernetes RBAC",
    source: "https://github.com/controlplaneio-fluxcd/flux-operator/issues/518",
    expect: ["guides/web-ui#authentication-and-permissions"],
  },
  {
    question: "a UI that shows which HelmReleases are deployed and whether they failed",
    source: "https://github.com/fluxcd/flux/issues/2033",
    expect: ["guides/web-ui#", "guides/web-ui#relation-to-other-tools", "operator/overview#web-ui-and-mcp"],
  },
  // Image automation
  {
    question: "image update automation not committing the resolved version to git",
    source: "https://github.com/fluxcd/image-automation-controller/issues/159",
    expect: [
      "troubleshooting/image-automation#",
      "kinds/imageupdateautomation#setter-markers",
      "kinds/imageupdateautomation#common-failures",
    ],
  },
  {
    question: "ImageUpdateAutomation push commits to a separate branch",
    source: "https://github.com/fluxcd/image-automation-controller/pull/143",
    expect: ["fields/imageupdateautomation#specgit", "kinds/imageupdateautomation#key-fields"],
  },
  // Notifications
  {
    question: "Slack alerts not working, how should the provider secret look",
    source: "https://github.com/fluxcd/notification-controller/issues/844",
    expect: [
      "troubleshooting/notifications#alerts-do-not-arrive",
      "fields/provider#destination",
      "fields/provider#credentials-and-transport",
    ],
  },
  {
    question: "failed to send notification to Slack: postMessage failed 400",
    source: "https://github.com/fluxcd/notification-controller/issues/1176",
    expect: [
      "troubleshooting/notifications#alerts-do-not-arrive",
      "fields/provider#destination",
      "fields/provider#slack-and-teams",
    ],
  },
  {
    question:
      "insufficient Slack integration docs: do we have to configure a webhook or a bot, how should the secret look",
    source: "https://github.com/fluxcd/notification-controller/issues/634",
    expect: ["fields/provider#slack-and-teams", "troubleshooting/notifications#alerts-do-not-arrive"],
  },
  {
    question: "404 on the GitHub webhook: how is the receiver hook path computed",
    source: "https://github.com/fluxcd/flux2/issues/477",
    expect: ["kinds/receiver#status-and-the-webhook-url", "fields/receiver#conditions-and-reasons"],
  },
  {
    question: "webhook receivers can't trigger resource reconciliations in other namespaces",
    source: "https://github.com/fluxcd/flux2/issues/1115",
    expect: [
      "fields/receiver#what-to-reconcile",
      "troubleshooting/notifications#receiver-webhooks-do-nothing",
    ],
  },
  {
    question: "is it possible to have a single receiver handle every resource type in a namespace",
    source: "https://github.com/fluxcd/notification-controller/issues/214",
    expect: ["fields/receiver#what-to-reconcile"],
  },
];
