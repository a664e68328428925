import { test } from "node:test";
import assert from "node:assert/strict";
import {
  selfSubjectAccessReview,
  selfSubjectRulesReview,
  subjectAccessReview,
} from "../../src/security/access-reviews.ts";
import { createAuthorizer } from "../../src/security/rbac.ts";
import type { Identity } from "../../src/types.ts";
import { rbacObjects, staticRbac } from "./rbac-fixtures.ts";

const rbac = staticRbac(rbacObjects);
const authorize = createAuthorizer(rbac);
const bob: Identity = { user: "bob", groups: ["system:authenticated"] };

const review = (kind: string, spec: object) => ({
  apiVersion: "authorization.k8s.io/v1",
  kind,
  metadata: { creationTimestamp: null },
  spec,
});

test("SelfSubjectAccessReview answers for the caller, resource attributes", () => {
  const body = review("SelfSubjectAccessReview", {
    resourceAttributes: {
      namespace: "apps",
      verb: "get",
      group: "",
      resource: "pods",
      subresource: "log",
      name: "web",
    },
  });
  const answer = selfSubjectAccessReview(body, bob, authorize);
  assert.deepEqual(answer.spec, body.spec);
  assert.equal(answer.kind, "SelfSubjectAccessReview");
  assert.deepEqual(answer.status, {
    allowed: true,
    reason: 'RBAC: allowed by RoleBinding "bob-pod-reader/apps" of Role "pod-reader" to User "bob"',
  });
  const denied = selfSubjectAccessReview(
    review("SelfSubjectAccessReview", {
      resourceAttributes: { namespace: "", verb: "list", resource: "pods" },
    }),
    bob,
    authorize,
  );
  assert.deepEqual(denied.status, { allowed: false });
});

test("SelfSubjectAccessReview with non-resource attributes", () => {
  const answer = selfSubjectAccessReview(
    review("SelfSubjectAccessReview", { nonResourceAttributes: { path: "/healthz/ping", verb: "get" } }),
    { user: "dave", groups: [] },
    authorize,
  );
  assert.equal((answer.status as { allowed: boolean }).allowed, true);
});

test("a review with both or neither attribute kinds is not allowed and says why", () => {
  for (const spec of [
    {},
    {
      resourceAttributes: { verb: "get", resource: "pods" },
      nonResourceAttributes: { path: "/x", verb: "get" },
    },
  ]) {
    const answer = selfSubjectAccessReview(review("SelfSubjectAccessReview", spec), bob, authorize);
    assert.deepEqual(answer.status, {
      allowed: false,
      evaluationError: "exactly one of nonResourceAttributes or resourceAttributes must be specified",
    });
  }
  const garbage = selfSubjectAccessReview("not an object", bob, authorize);
  assert.equal((garbage.status as { allowed: boolean }).allowed, false);
});

test("SubjectAccessReview answers for spec.user and spec.groups as given", () => {
  const forDevs = subjectAccessReview(
    review("SubjectAccessReview", {
      user: "frank",
      groups: ["devs"],
      resourceAttributes: {
        namespace: "apps",
        verb: "list",
        group: "kustomize.toolkit.fluxcd.io",
        resource: "kustomizations",
      },
    }),
    authorize,
  );
  assert.equal((forDevs.status as { allowed: boolean }).allowed, true);
  const withoutGroup = subjectAccessReview(
    review("SubjectAccessReview", {
      user: "frank",
      resourceAttributes: {
        namespace: "apps",
        verb: "list",
        group: "kustomize.toolkit.fluxcd.io",
        resource: "kustomizations",
      },
    }),
    authorize,
  );
  assert.deepEqual(withoutGroup.status, { allowed: false });
  const nobody = subjectAccessReview(
    review("SubjectAccessReview", { resourceAttributes: { verb: "get", resource: "pods" } }),
    authorize,
  );
  assert.deepEqual(nobody.status, {
    allowed: false,
    evaluationError: "spec.user or spec.groups is required",
  });
});

test("SelfSubjectRulesReview lists the caller's rules in the namespace, split like Kubernetes", () => {
  const answer = selfSubjectRulesReview(
    review("SelfSubjectRulesReview", { namespace: "apps" }),
    { user: "dave", groups: [] },
    rbac,
  );
  assert.deepEqual(answer.status, {
    resourceRules: [
      { verbs: ["update", "patch"], apiGroups: ["apps"], resources: ["*/scale"] },
      { verbs: ["get", "update"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["settings"] },
    ],
    nonResourceRules: [{ verbs: ["get"], nonResourceURLs: ["/metrics", "/healthz/*"] }],
    incomplete: false,
  });
});

test("SelfSubjectRulesReview: masters get wildcards, dangling references make it incomplete", () => {
  const admin = selfSubjectRulesReview(
    review("SelfSubjectRulesReview", { namespace: "default" }),
    { user: "admin", groups: ["system:masters"] },
    rbac,
  );
  assert.deepEqual(admin.status, {
    resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }],
    nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
    incomplete: false,
  });
  const erin = selfSubjectRulesReview(
    review("SelfSubjectRulesReview", { namespace: "apps" }),
    { user: "erin", groups: [] },
    rbac,
  );
  assert.deepEqual(erin.status, {
    resourceRules: [],
    nonResourceRules: [],
    incomplete: true,
    evaluationError: 'role.rbac.authorization.k8s.io "does-not-exist" not found',
  });
});
