import { test } from "node:test";
import assert from "node:assert/strict";
import { forbiddenMessage } from "../../src/security/forbidden.ts";

const bob = { user: "bob", groups: ["system:authenticated"] };

test("a named namespaced object in a named group", () => {
  assert.equal(
    forbiddenMessage({
      identity: bob,
      verb: "patch",
      apiGroup: "kustomize.toolkit.fluxcd.io",
      resource: "kustomizations",
      namespace: "flux-system",
      name: "apps",
    }),
    'kustomizations.kustomize.toolkit.fluxcd.io "apps" is forbidden: User "bob" cannot patch resource "kustomizations" in API group "kustomize.toolkit.fluxcd.io" in the namespace "flux-system"',
  );
});

test("a list without a name", () => {
  assert.equal(
    forbiddenMessage({
      identity: bob,
      verb: "list",
      apiGroup: "kustomize.toolkit.fluxcd.io",
      resource: "kustomizations",
      namespace: "flux-system",
    }),
    'kustomizations.kustomize.toolkit.fluxcd.io is forbidden: User "bob" cannot list resource "kustomizations" in API group "kustomize.toolkit.fluxcd.io" in the namespace "flux-system"',
  );
});

test("the core group at cluster scope", () => {
  assert.equal(
    forbiddenMessage({ identity: bob, verb: "get", apiGroup: "", resource: "nodes", name: "node-1" }),
    'nodes "node-1" is forbidden: User "bob" cannot get resource "nodes" in API group "" at the cluster scope',
  );
});

test("a subresource is named with its resource, the qualified resource without it", () => {
  assert.equal(
    forbiddenMessage({
      identity: bob,
      verb: "get",
      apiGroup: "",
      resource: "pods",
      subresource: "log",
      namespace: "apps",
      name: "web",
    }),
    'pods "web" is forbidden: User "bob" cannot get resource "pods/log" in API group "" in the namespace "apps"',
  );
});

test("a non-resource path, and a reason appended", () => {
  assert.equal(
    forbiddenMessage({ identity: bob, verb: "get", apiGroup: "", resource: "", nonResourcePath: "/metrics" }),
    'forbidden: User "bob" cannot get path "/metrics"',
  );
  assert.equal(
    forbiddenMessage(
      { identity: bob, verb: "list", apiGroup: "", resource: "pods" },
      'RBAC: role.rbac.authorization.k8s.io "x" not found',
    ),
    'pods is forbidden: User "bob" cannot list resource "pods" in API group "" at the cluster scope: RBAC: role.rbac.authorization.k8s.io "x" not found',
  );
});
