import { test } from "node:test";
import assert from "node:assert/strict";
import { createAuthorizer, rulesFor } from "../../src/security/rbac.ts";
import { bootstrapRbacObjects } from "../../src/security/bootstrap-rbac.ts";
import type { Identity, RequestAttributes } from "../../src/types.ts";
import { binding, clusterRole, rbacObjects, staticRbac, user } from "./rbac-fixtures.ts";

const authorize = createAuthorizer(staticRbac(rbacObjects));

const who = (name: string, ...groups: string[]): Identity => ({
  user: name,
  groups: [...groups, "system:authenticated"],
});
const kustomizations = { apiGroup: "kustomize.toolkit.fluxcd.io", resource: "kustomizations" };
const pods = { apiGroup: "", resource: "pods" };

const cases: [string, Omit<RequestAttributes, "identity">, Identity, boolean][] = [
  [
    "ClusterRoleBinding applies in any namespace",
    { verb: "get", ...kustomizations, namespace: "flux-system", name: "apps" },
    who("alice"),
    true,
  ],
  ["ClusterRoleBinding applies at cluster scope", { verb: "list", ...kustomizations }, who("alice"), true],
  [
    "verbs not in the rule are refused",
    { verb: "patch", ...kustomizations, namespace: "flux-system", name: "apps" },
    who("alice"),
    false,
  ],
  [
    "resources not in the rule are refused",
    {
      verb: "get",
      apiGroup: "source.toolkit.fluxcd.io",
      resource: "gitrepositories",
      namespace: "flux-system",
    },
    who("alice"),
    false,
  ],
  [
    "the API group must match",
    { verb: "get", apiGroup: "example.com", resource: "kustomizations" },
    who("alice"),
    false,
  ],
  ["RoleBinding grants in its namespace", { verb: "list", ...pods, namespace: "apps" }, who("bob"), true],
  [
    "RoleBinding grants nothing elsewhere",
    { verb: "list", ...pods, namespace: "default" },
    who("bob"),
    false,
  ],
  ["RoleBinding grants nothing at cluster scope", { verb: "list", ...pods }, who("bob"), false],
  [
    "subresource pods/log is granted explicitly",
    { verb: "get", ...pods, subresource: "log", namespace: "apps", name: "web-1" },
    who("bob"),
    true,
  ],
  [
    "pods does not grant pods/exec",
    { verb: "get", ...pods, subresource: "exec", namespace: "apps", name: "web-1" },
    who("bob"),
    false,
  ],
  [
    "a group subject matches through the identity's groups",
    { verb: "watch", ...kustomizations, namespace: "apps" },
    who("frank", "devs"),
    true,
  ],
  [
    "a RoleBinding to a ClusterRole is scoped to its namespace",
    { verb: "watch", ...kustomizations, namespace: "flux-system" },
    who("frank", "devs"),
    false,
  ],
  [
    "*/scale matches any resource's scale subresource",
    {
      verb: "patch",
      apiGroup: "apps",
      resource: "deployments",
      subresource: "scale",
      namespace: "x",
      name: "web",
    },
    who("dave"),
    true,
  ],
  [
    "*/scale does not match the resource itself",
    { verb: "patch", apiGroup: "apps", resource: "deployments", namespace: "x", name: "web" },
    who("dave"),
    false,
  ],
  [
    "resourceNames allow the named object",
    { verb: "update", apiGroup: "", resource: "configmaps", namespace: "apps", name: "settings" },
    who("dave"),
    true,
  ],
  [
    "resourceNames refuse other objects",
    { verb: "update", apiGroup: "", resource: "configmaps", namespace: "apps", name: "other" },
    who("dave"),
    false,
  ],
  [
    "resourceNames refuse requests without a name",
    { verb: "get", apiGroup: "", resource: "configmaps", namespace: "apps" },
    who("dave"),
    false,
  ],
  [
    "nonResourceURLs match exactly",
    { verb: "get", apiGroup: "", resource: "", nonResourcePath: "/metrics" },
    who("dave"),
    true,
  ],
  [
    "nonResourceURLs match a trailing *",
    { verb: "get", apiGroup: "", resource: "", nonResourcePath: "/healthz/etcd" },
    who("dave"),
    true,
  ],
  [
    "nonResourceURLs refuse other paths",
    { verb: "get", apiGroup: "", resource: "", nonResourcePath: "/version" },
    who("dave"),
    false,
  ],
  [
    "nonResourceURLs refuse other verbs",
    { verb: "post", apiGroup: "", resource: "", nonResourcePath: "/metrics" },
    who("dave"),
    false,
  ],
  [
    "resource rules never grant non-resource paths",
    { verb: "get", apiGroup: "", resource: "", nonResourcePath: "/api" },
    who("system:serviceaccount:flux-system:kustomize-controller"),
    false,
  ],
  [
    "a ServiceAccount subject defaults to the binding's namespace",
    { verb: "delete", ...kustomizations, namespace: "flux-system", name: "apps" },
    who("system:serviceaccount:flux-system:kustomize-controller"),
    true,
  ],
  [
    "a ServiceAccount of another namespace does not match",
    { verb: "delete", ...kustomizations, namespace: "flux-system", name: "apps" },
    who("system:serviceaccount:apps:kustomize-controller"),
    false,
  ],
  [
    "a ServiceAccount subject may name its namespace",
    { verb: "create", ...pods, namespace: "apps" },
    who("system:serviceaccount:flux-system:helm-controller"),
    true,
  ],
  [
    "aggregated ClusterRoles include the selected roles' rules",
    { verb: "get", apiGroup: "source.toolkit.fluxcd.io", resource: "gitrepositories", namespace: "x" },
    who("carol"),
    true,
  ],
  [
    "system:masters is allowed everything",
    { verb: "deletecollection", ...pods, namespace: "kube-system" },
    { user: "root", groups: ["system:masters"] },
    true,
  ],
  ["unknown users get nothing", { verb: "get", ...pods, namespace: "apps" }, who("nobody"), false],
];

for (const [title, attrs, identity, allowed] of cases) {
  test(`authorizer: ${title}`, () => {
    assert.equal(authorize({ ...attrs, identity }).allowed, allowed);
  });
}

test("allowed decisions name the binding like Kubernetes", () => {
  assert.equal(
    authorize({ identity: who("alice"), verb: "get", ...kustomizations, namespace: "x" }).reason,
    'RBAC: allowed by ClusterRoleBinding "alice-flux-view" of ClusterRole "flux-view" to User "alice"',
  );
  assert.equal(
    authorize({ identity: who("bob"), verb: "get", ...pods, namespace: "apps" }).reason,
    'RBAC: allowed by RoleBinding "bob-pod-reader/apps" of Role "pod-reader" to User "bob"',
  );
  assert.equal(
    authorize({
      identity: who("system:serviceaccount:flux-system:kustomize-controller"),
      verb: "get",
      ...pods,
      namespace: "flux-system",
    }).reason,
    'RBAC: allowed by RoleBinding "kustomize-controller/flux-system" of ClusterRole "everything" to ServiceAccount "kustomize-controller/flux-system"',
  );
});

test("dangling role references are reported as the reason of a refusal", () => {
  const decision = authorize({ identity: who("erin"), verb: "get", ...pods, namespace: "apps" });
  assert.deepEqual(decision, {
    allowed: false,
    reason: 'RBAC: role.rbac.authorization.k8s.io "does-not-exist" not found',
  });
  const twoMissing = createAuthorizer(
    staticRbac([
      binding("a", { kind: "ClusterRole", name: "gone" }, [user("erin")]),
      binding("b", { kind: "ClusterRole", name: "also-gone" }, [user("erin")]),
    ]),
  );
  assert.equal(
    twoMissing({ identity: who("erin"), verb: "get", ...pods }).reason,
    'RBAC: [clusterrole.rbac.authorization.k8s.io "gone" not found, clusterrole.rbac.authorization.k8s.io "also-gone" not found]',
  );
});

test("aggregation selectors support matchExpressions and tolerate cycles", () => {
  const objects = [
    clusterRole("a", [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }], {
      metadata: { name: "a", labels: { tier: "one" } },
      aggregationRule: {
        clusterRoleSelectors: [{ matchExpressions: [{ key: "tier", operator: "In", values: ["two"] }] }],
      },
    }),
    clusterRole("b", [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }], {
      metadata: { name: "b", labels: { tier: "two" } },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { tier: "one" } }] },
    }),
    binding("ab", { kind: "ClusterRole", name: "a" }, [user("gina")]),
  ];
  const decide = createAuthorizer(staticRbac(objects));
  assert.ok(decide({ identity: who("gina"), verb: "get", apiGroup: "", resource: "secrets" }).allowed);
  assert.ok(!decide({ identity: who("gina"), verb: "list", apiGroup: "", resource: "secrets" }).allowed);
});

test("malformed RBAC objects grant nothing and break nothing", () => {
  const decide = createAuthorizer(
    staticRbac([
      clusterRole("broken", "not rules" as unknown as object[]),
      binding("broken", { kind: "ClusterRole", name: "broken" }, [user("hal")]),
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: "no-role-ref" },
        subjects: [user("hal")],
      },
      ...rbacObjects,
    ]),
  );
  assert.ok(!decide({ identity: who("hal"), verb: "get", ...pods }).allowed);
  assert.ok(decide({ identity: who("alice"), verb: "get", ...kustomizations }).allowed);
});

test("the bootstrap roles give every authenticated user discovery and self reviews, and masters everything", () => {
  const decide = createAuthorizer(staticRbac(bootstrapRbacObjects()));
  const bob = who("bob");
  for (const path of [
    "/api",
    "/api/v1",
    "/apis",
    "/apis/kustomize.toolkit.fluxcd.io/v1",
    "/version",
    "/openapi/v3",
  ]) {
    assert.ok(
      decide({ identity: bob, verb: "get", apiGroup: "", resource: "", nonResourcePath: path }).allowed,
      path,
    );
  }
  assert.ok(
    decide({
      identity: bob,
      verb: "create",
      apiGroup: "authorization.k8s.io",
      resource: "selfsubjectaccessreviews",
    }).allowed,
  );
  assert.ok(
    !decide({
      identity: bob,
      verb: "create",
      apiGroup: "authorization.k8s.io",
      resource: "subjectaccessreviews",
    }).allowed,
  );
  assert.ok(!decide({ identity: bob, verb: "list", ...pods }).allowed);
  const anonymous = { user: "system:anonymous", groups: ["system:unauthenticated"] };
  assert.ok(
    decide({ identity: anonymous, verb: "get", apiGroup: "", resource: "", nonResourcePath: "/version" })
      .allowed,
  );
  assert.ok(
    !decide({ identity: anonymous, verb: "get", apiGroup: "", resource: "", nonResourcePath: "/api" })
      .allowed,
  );
  const withAdmin = createAuthorizer(
    staticRbac([
      ...bootstrapRbacObjects(),
      binding("ops-admin", { kind: "ClusterRole", name: "cluster-admin" }, [user("ops")]),
    ]),
  );
  assert.ok(
    withAdmin({ identity: who("ops"), verb: "delete", ...pods, namespace: "kube-system", name: "x" }).allowed,
  );
  assert.ok(
    withAdmin({ identity: who("ops"), verb: "get", apiGroup: "", resource: "", nonResourcePath: "/metrics" })
      .allowed,
  );
  const rules = rulesFor(staticRbac(bootstrapRbacObjects()), bob, "default");
  assert.ok(rules.rules.some((rule) => rule.resources.includes("selfsubjectrulesreviews")));
});

test("rulesFor collects cluster-wide rules and, given a namespace, that namespace's", () => {
  const source = staticRbac(rbacObjects);
  const bobInApps = rulesFor(source, who("bob"), "apps");
  assert.deepEqual(
    bobInApps.rules.map((rule) => rule.resources),
    [["pods"], ["pods/log"]],
  );
  assert.deepEqual(rulesFor(source, who("bob"), undefined).rules, []);
  assert.deepEqual(rulesFor(source, who("erin"), "apps").errors, [
    'role.rbac.authorization.k8s.io "does-not-exist" not found',
  ]);
});
