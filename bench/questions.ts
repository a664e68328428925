// The standard questions: what a user asks, the cluster it is about, the key facts a good answer
// must carry, and the raw Kubernetes API requests that fetch the same data (the floor). How each
// server answers a question is in its own table under bench/servers/.
import { FLUX_KINDS } from "../src/flux/kinds.ts";
import { FLEET_NAMESPACES, type FleetSummary } from "./fleet.ts";

export const DEMO_CONTEXT = "staging";
/** The demo fleet's other cluster, for the comparison question. */
export const OTHER_CONTEXT = "production";
export const FLEET_CONTEXT = "fleet";

export type QuestionId =
  | "helmreleases"
  | "failing"
  | "crashloop-logs"
  | "kustomization-events"
  | "helmrelease-yaml"
  | "pod-metrics"
  | "flux-api-versions"
  | "fleet-kustomizations"
  | "root-cause"
  | "image-latest"
  | "compare-clusters";

export interface KeyFact {
  label: string;
  test(answer: string): boolean;
}

export interface Question {
  id: QuestionId;
  ask: string;
  context: string;
  facts: KeyFact[];
  /** API paths (below the cluster's URL) a client would GET for the same data. */
  floor: string[];
}

/** Present when any of the spellings is. */
function fact(label: string, ...spellings: string[]): KeyFact {
  const wanted = spellings.length > 0 ? spellings : [label];
  return { label, test: (answer) => wanted.some((spelling) => answer.includes(spelling)) };
}

/** `first` followed by `then` within a few lines: a kind's group next to its version, a pod next to its usage. */
function near(label: string, first: string, then: RegExp): KeyFact {
  const escaped = first.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`${escaped}[\\s\\S]{0,160}?${then.source}`);
  return { label, test: (answer) => pattern.test(answer) };
}

function thousands(value: number): string {
  return value.toLocaleString("en-US");
}

function matches(label: string, pattern: RegExp): KeyFact {
  return { label, test: (answer) => pattern.test(answer) };
}

/** The Flux kinds that report a Ready condition: what "which Flux objects are failing" has to look at. */
export const FLUX_KINDS_WITH_STATUS = FLUX_KINDS.filter(
  (kind) => kind.hasStatus && kind.reconcilable && kind.kind !== "FluxReport",
);

export function standardQuestions(fleet: FleetSummary): Question[] {
  const lastBuildFailure = fleet.failingKustomizations.findLast((entry) => entry.reason === "BuildFailed");
  const lastHealthFailure = fleet.failingKustomizations.findLast(
    (entry) => entry.reason === "HealthCheckFailed",
  );
  if (!lastBuildFailure || !lastHealthFailure)
    throw new Error("the generated fleet has no failing Kustomization");
  return [
    {
      id: "helmreleases",
      ask: "Every HelmRelease with its status",
      context: DEMO_CONTEXT,
      facts: [
        fact("cert-manager"),
        fact("ingress-nginx"),
        fact("podinfo-pr-142"),
        fact("kube-prometheus-stack"),
        fact("kube-prometheus-stack rolled back", "RollbackSucceeded", "rollback to previous release"),
        fact("podinfo test succeeded", "TestSucceeded", "Helm test succeeded"),
      ],
      floor: ["/apis/helm.toolkit.fluxcd.io/v2/helmreleases"],
    },
    {
      id: "failing",
      ask: "Which Flux objects are failing, and why",
      context: DEMO_CONTEXT,
      facts: [
        fact("kube-prometheus-stack"),
        // "Why" asks for the messages: a reason (RetriesExceeded, DependencyNotReady…) names a
        // failure's kind but not its cause, so reasons alone do not count.
        fact(
          "its upgrade failed",
          "Failed to upgrade after",
          "Helm upgrade failed",
          "rollback to previous release",
        ),
        fact("apps: missing podinfo-values.yaml", "podinfo-values.yaml"),
        fact("monitoring-configs"),
        fact(
          "monitoring-configs waits on flux-system/monitoring",
          "dependency 'flux-system/monitoring' is not ready",
          "waits for Kustomization flux-system/monitoring",
        ),
        fact("monitoring health check failed", "health check failed"),
      ],
      floor: FLUX_KINDS_WITH_STATUS.map(
        ({ group, version, plural }) => `/apis/${group}/${version}/${plural}`,
      ),
    },
    {
      id: "crashloop-logs",
      ask: "Logs of the crash-looping pod frontend/cart-qchb76nwf7-hmt8b (previous container)",
      context: DEMO_CONTEXT,
      facts: [fact("CART_REDIS_URL"), fact("invalid configuration"), fact("starting cart service")],
      floor: ["/api/v1/namespaces/frontend/pods/cart-qchb76nwf7-hmt8b/log?container=cart&previous=true"],
    },
    {
      id: "kustomization-events",
      ask: "Events of Kustomization flux-system/monitoring",
      context: DEMO_CONTEXT,
      facts: [
        fact("HealthCheckFailed"),
        fact("names kube-prometheus-stack", "HelmRelease/monitoring/kube-prometheus-stack"),
        matches("seen 19 times", /count"?:?\s*19\b|\bx19\b|\b19 times/i),
      ],
      floor: [
        "/api/v1/namespaces/flux-system/events?fieldSelector=involvedObject.kind%3DKustomization%2CinvolvedObject.name%3Dmonitoring",
      ],
    },
    {
      id: "helmrelease-yaml",
      ask: "YAML of HelmRelease monitoring/kube-prometheus-stack",
      context: DEMO_CONTEXT,
      facts: [
        fact("RetriesExceeded"),
        fact("UpgradeFailed"),
        fact("immutable selector", "field is immutable"),
        fact("failed chart 77.0.0", "77.0.0"),
        fact("chart source prometheus-community", "prometheus-community"),
      ],
      floor: ["/apis/helm.toolkit.fluxcd.io/v2/namespaces/monitoring/helmreleases/kube-prometheus-stack"],
    },
    {
      id: "pod-metrics",
      ask: "Pod metrics of namespace flux-system",
      context: DEMO_CONTEXT,
      facts: [
        near("helm-controller 143Mi", "helm-controller", /143\s?Mi/),
        near("kustomize-controller 112Mi", "kustomize-controller", /112\s?Mi/),
        near("source-controller 6m CPU", "source-controller", /\b6m\b/),
        fact("flux-operator"),
      ],
      floor: ["/apis/metrics.k8s.io/v1beta1/namespaces/flux-system/pods"],
    },
    {
      id: "flux-api-versions",
      ask: "API versions of the Flux kinds",
      context: DEMO_CONTEXT,
      facts: [
        near("HelmRelease: helm.toolkit.fluxcd.io/v2", "helm.toolkit.fluxcd.io", /\bv2\b/),
        near("Kustomization: kustomize.toolkit.fluxcd.io/v1", "kustomize.toolkit.fluxcd.io", /\bv1\b/),
        near(
          "Alert: notification.toolkit.fluxcd.io/v1beta3",
          "notification.toolkit.fluxcd.io",
          /\bv1beta3\b/,
        ),
        near("FluxInstance: fluxcd.controlplane.io/v1", "fluxcd.controlplane.io", /\bv1\b/),
      ],
      floor: ["/apis/apiextensions.k8s.io/v1/customresourcedefinitions"],
    },
    {
      id: "fleet-kustomizations",
      ask: `Every Kustomization in the fleet (${thousands(fleet.kustomizations)} of ${thousands(fleet.fluxObjects)} Flux objects)`,
      context: FLEET_CONTEXT,
      facts: [
        {
          label: `all ${FLEET_NAMESPACES.length} namespaces`,
          test: (answer) => FLEET_NAMESPACES.every((namespace) => answer.includes(namespace)),
        },
        fact(`why ${lastBuildFailure.namespace}/${lastBuildFailure.name} fails`, lastBuildFailure.marker),
        fact(`why ${lastHealthFailure.namespace}/${lastHealthFailure.name} fails`, lastHealthFailure.marker),
      ],
      floor: ["/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations"],
    },
    {
      id: "root-cause",
      ask: "Why is Kustomization flux-system/monitoring-configs not ready?",
      context: DEMO_CONTEXT,
      facts: [
        fact("waits on monitoring", "DependencyNotReady", "dependency 'flux-system/monitoring'"),
        fact("monitoring fails its health check", "HealthCheckFailed", "health check failed"),
        fact("kube-prometheus-stack is the cause", "kube-prometheus-stack"),
        fact("its upgrade failed", "UpgradeFailed", "RetriesExceeded"),
        fact("on an immutable selector", "field is immutable"),
      ],
      floor: [
        "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/monitoring-configs",
        "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/monitoring",
        "/apis/helm.toolkit.fluxcd.io/v2/namespaces/monitoring/helmreleases/kube-prometheus-stack",
      ],
    },
    {
      id: "image-latest",
      ask: "Which podinfo tag did image automation choose, and which tag runs?",
      context: DEMO_CONTEXT,
      facts: [
        fact("latest tag 6.9.2", "podinfo:6.9.2", "tag: 6.9.2"),
        fact("Deployment frontend/podinfo", "frontend/podinfo", "name: podinfo"),
        near("runs 6.9.2", "frontend", /6\.9\.2/),
      ],
      floor: [
        "/apis/image.toolkit.fluxcd.io/v1/namespaces/flux-system/imagepolicies/podinfo",
        "/apis/apps/v1/namespaces/frontend/deployments/podinfo",
      ],
    },
    {
      id: "compare-clusters",
      ask: `Compare the podinfo HelmRelease between ${OTHER_CONTEXT} and ${DEMO_CONTEXT}`,
      context: DEMO_CONTEXT,
      facts: [fact("production runs 6.8.0", "6.8.0"), fact("staging runs 6.9.2", "6.9.2")],
      floor: ["/apis/helm.toolkit.fluxcd.io/v2/namespaces/frontend/helmreleases/podinfo"],
    },
  ];
}
