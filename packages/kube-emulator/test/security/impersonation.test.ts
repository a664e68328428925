import { test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { resolveImpersonation } from "../../src/security/impersonation.ts";
import { createAuthorizer } from "../../src/security/rbac.ts";
import type { Identity } from "../../src/types.ts";
import { rbacObjects, staticRbac } from "./rbac-fixtures.ts";
import { request, startHttpServer } from "./http-helpers.ts";

const authorize = createAuthorizer(staticRbac(rbacObjects));
const alice: Identity = { user: "alice", groups: ["system:authenticated"] };
const admin: Identity = { user: "admin", groups: ["system:masters", "system:authenticated"] };

/** Only headersDistinct is read, which is what Node fills from the raw headers. */
function requestWith(headers: Record<string, string[]>): IncomingMessage {
  return { headersDistinct: headers } as unknown as IncomingMessage;
}

test("without impersonation headers the caller stays who it is", () => {
  assert.deepEqual(resolveImpersonation(requestWith({ accept: ["*/*"] }), alice, authorize), {
    identity: alice,
  });
});

test("an allowed user impersonation becomes that user, authenticated", () => {
  const result = resolveImpersonation(requestWith({ "impersonate-user": ["bob"] }), alice, authorize);
  assert.deepEqual(result, { identity: { user: "bob", groups: ["system:authenticated"] } });
});

test("an allowed user and group impersonation carries the groups", () => {
  const result = resolveImpersonation(
    requestWith({ "impersonate-user": ["bob"], "impersonate-group": ["devs"] }),
    alice,
    authorize,
  );
  assert.deepEqual(result, { identity: { user: "bob", groups: ["devs", "system:authenticated"] } });
});

test("a refused user impersonation is worded like Kubernetes", () => {
  const result = resolveImpersonation(requestWith({ "impersonate-user": ["carol"] }), alice, authorize);
  assert.deepEqual(result, {
    forbidden:
      'users "carol" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope',
  });
});

test("each group is checked", () => {
  const result = resolveImpersonation(
    requestWith({ "impersonate-user": ["bob"], "impersonate-group": ["devs", "system:masters"] }),
    alice,
    authorize,
  );
  assert.deepEqual(result, {
    forbidden:
      'groups "system:masters" is forbidden: User "alice" cannot impersonate resource "groups" in API group "" at the cluster scope',
  });
});

test("service accounts are checked in their namespace and get their implicit groups", () => {
  const allowed = resolveImpersonation(
    requestWith({ "impersonate-user": ["system:serviceaccount:flux-system:kustomize-controller"] }),
    alice,
    authorize,
  );
  assert.deepEqual(allowed, {
    identity: {
      user: "system:serviceaccount:flux-system:kustomize-controller",
      groups: ["system:serviceaccounts", "system:serviceaccounts:flux-system", "system:authenticated"],
    },
  });
  const refused = resolveImpersonation(
    requestWith({ "impersonate-user": ["system:serviceaccount:apps:default"] }),
    alice,
    authorize,
  );
  assert.deepEqual(refused, {
    forbidden:
      'serviceaccounts "default" is forbidden: User "alice" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "apps"',
  });
});

test("uid and extra headers are checked too (system:masters may do anything)", () => {
  const headers = {
    "impersonate-user": ["bob"],
    "impersonate-uid": ["1234"],
    "impersonate-extra-scopes": ["view", "edit"],
  };
  assert.deepEqual(resolveImpersonation(requestWith(headers), admin, authorize), {
    identity: { user: "bob", groups: ["system:authenticated"], uid: "1234" },
  });
  const refused = resolveImpersonation(requestWith(headers), alice, authorize);
  assert.ok("forbidden" in refused);
  assert.match(
    refused.forbidden,
    /^userextras.authentication.k8s.io "view" is forbidden: User "alice" cannot impersonate resource "userextras\/scopes"/,
  );
});

test("impersonating the anonymous user adds system:unauthenticated instead", () => {
  const result = resolveImpersonation(
    requestWith({ "impersonate-user": ["system:anonymous"] }),
    admin,
    authorize,
  );
  assert.deepEqual(result, { identity: { user: "system:anonymous", groups: ["system:unauthenticated"] } });
});

test("groups without a user are refused", () => {
  const result = resolveImpersonation(requestWith({ "impersonate-group": ["devs"] }), admin, authorize);
  assert.ok("forbidden" in result);
});

test("repeated Impersonate-Group headers arrive as separate groups over HTTP", async () => {
  const server = await startHttpServer((req, res) => {
    res.end(JSON.stringify(resolveImpersonation(req, admin, authorize)));
  });
  try {
    const res = await request(server.port, {
      headers: { "Impersonate-User": "bob", "Impersonate-Group": ["devs", "ops, qa"] },
    });
    assert.deepEqual(JSON.parse(res.body), {
      identity: { user: "bob", groups: ["devs", "ops, qa", "system:authenticated"] },
    });
  } finally {
    await server.close();
  }
});
