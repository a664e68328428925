// authorization.k8s.io/v1 reviews, which `kubectl auth can-i` (and `--list`) create. Each takes the
// request body and returns it with its status filled in, as kube-apiserver does.
import { z } from "zod";
import type { Identity, KubeObject, RequestAttributes } from "../types.ts";
import { rulesFor, type Authorizer, type PolicyRule, type RbacSource } from "./rbac.ts";

const apiVersion = "authorization.k8s.io/v1";

const accessReviewSpecSchema = z.object({
  resourceAttributes: z
    .object({
      namespace: z.string().optional(),
      verb: z.string().optional(),
      group: z.string().optional(),
      resource: z.string().optional(),
      subresource: z.string().optional(),
      name: z.string().optional(),
    })
    .optional(),
  nonResourceAttributes: z.object({ path: z.string().optional(), verb: z.string().optional() }).optional(),
  user: z.string().optional(),
  groups: z.array(z.string()).optional(),
});

type AccessReviewSpec = z.infer<typeof accessReviewSpecSchema>;

const rulesReviewSpecSchema = z.object({ namespace: z.string().optional() });

interface AccessReviewStatus {
  allowed: boolean;
  reason?: string;
  evaluationError?: string;
}

export function selfSubjectAccessReview(
  body: unknown,
  identity: Identity,
  authorize: Authorizer,
): KubeObject {
  const spec = accessReviewSpecSchema.safeParse(specOf(body));
  const status = spec.success ? review(spec.data, identity, authorize) : invalid(spec.error.message);
  return answer(body, "SelfSubjectAccessReview", status);
}

/** The subject is spec.user/spec.groups, taken as given (no implicit groups), as in Kubernetes. */
export function subjectAccessReview(body: unknown, authorize: Authorizer): KubeObject {
  const spec = accessReviewSpecSchema.safeParse(specOf(body));
  if (!spec.success) return answer(body, "SubjectAccessReview", invalid(spec.error.message));
  const { user = "", groups = [] } = spec.data;
  const status =
    user || groups.length > 0
      ? review(spec.data, { user, groups }, authorize)
      : invalid("spec.user or spec.groups is required");
  return answer(body, "SubjectAccessReview", status);
}

/** Rules of the identity in spec.namespace, as listed by `kubectl auth can-i --list`. */
export function selfSubjectRulesReview(body: unknown, identity: Identity, rbac: RbacSource): KubeObject {
  const spec = rulesReviewSpecSchema.safeParse(specOf(body));
  const namespace = (spec.success && spec.data.namespace) || undefined;
  const { rules, errors } = rulesFor(rbac, identity, namespace);
  return answer(body, "SelfSubjectRulesReview", {
    resourceRules: rules.filter((rule) => rule.resources.length > 0).map(resourceRule),
    nonResourceRules: rules
      .filter((rule) => rule.nonResourceURLs.length > 0)
      .map(({ verbs, nonResourceURLs }) => ({ verbs, nonResourceURLs })),
    incomplete: errors.length > 0,
    ...(errors.length > 0 && { evaluationError: errors.join(", ") }),
  });
}

function review(spec: AccessReviewSpec, identity: Identity, authorize: Authorizer): AccessReviewStatus {
  const attributes = reviewAttributes(spec, identity);
  if (!attributes)
    return invalid("exactly one of nonResourceAttributes or resourceAttributes must be specified");
  const { allowed, reason } = authorize(attributes);
  return reason ? { allowed, reason } : { allowed };
}

function reviewAttributes(spec: AccessReviewSpec, identity: Identity): RequestAttributes | undefined {
  const { resourceAttributes: resource, nonResourceAttributes: nonResource } = spec;
  if (resource && !nonResource) {
    return {
      identity,
      verb: resource.verb ?? "",
      apiGroup: resource.group ?? "",
      resource: resource.resource ?? "",
      // Empty strings are how clients say "not set" (cluster scope, any name).
      ...(resource.subresource && { subresource: resource.subresource }),
      ...(resource.namespace && { namespace: resource.namespace }),
      ...(resource.name && { name: resource.name }),
    };
  }
  if (nonResource && !resource) {
    return {
      identity,
      verb: nonResource.verb ?? "",
      apiGroup: "",
      resource: "",
      nonResourcePath: nonResource.path ?? "",
    };
  }
  return undefined;
}

// Kubernetes rejects malformed reviews with 422; answering "not allowed" with the reason keeps one
// code path for the caller, and kubectl never sends such reviews.
function invalid(message: string): AccessReviewStatus {
  return { allowed: false, evaluationError: message };
}

function resourceRule({ verbs, apiGroups, resources, resourceNames }: PolicyRule): Record<string, string[]> {
  return { verbs, apiGroups, resources, ...(resourceNames.length > 0 && { resourceNames }) };
}

function specOf(body: unknown): unknown {
  return typeof body === "object" && body !== null && "spec" in body ? body.spec : undefined;
}

function answer(body: unknown, kind: string, status: object): KubeObject {
  const request = typeof body === "object" && body !== null ? body : {};
  const metadata = "metadata" in request && typeof request.metadata === "object" ? request.metadata : {};
  return { ...request, apiVersion, kind, metadata: { ...metadata }, status };
}
