// Impersonation (--kube-as, --kube-as-group) on every request, and what a user without RBAC
// bindings gets: forbidden errors naming the user and the context, and no Secret values.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { writeKubeconfig } from "../helpers/kube-config.ts";
import { createKubeProvider } from "../../src/kube/provider.ts";
import { KubeError } from "../../src/kube/types.ts";

let api: TestApiServer;

before(async () => {
  api = await startTestApiServer();
});
after(async () => {
  await api.close();
});

test("impersonating a user with two groups sends them on every request", async () => {
  const provider = createKubeProvider({
    kubeconfigPaths: [api.kubeconfigPath],
    readOnly: false,
    impersonate: { user: "carol", groups: ["system:masters", "auditors"] },
  });
  const kube = await provider.forContext("staging");
  assert.equal(kube.identity, 'as user "carol" with groups "system:masters", "auditors"');
  const mark = api.server.requestLog.mark();
  const kustomizations = await kube.resolveKind("ks");
  await kube.get(kustomizations, "apps", "flux-system");
  await kube.list(kustomizations);
  const entries = api.server.requestLog.entries({ since: mark });
  assert.ok(entries.length > 3);
  for (const entry of entries) {
    assert.equal(entry.user, "carol", entry.path);
    assert.ok(entry.groups.includes("system:masters") && entry.groups.includes("auditors"), entry.path);
    assert.equal(entry.status, 200, entry.path);
  }
});

test("a user without bindings is forbidden: the message names the object, the user and the context", async () => {
  const provider = createKubeProvider({
    kubeconfigPaths: [api.kubeconfigPath],
    readOnly: false,
    impersonate: { user: "bob" },
  });
  const kube = await provider.forContext("staging");
  assert.equal(kube.identity, 'as user "bob"');
  // Discovery is open to every authenticated user, as in Kubernetes.
  const kustomizations = await kube.resolveKind("ks");
  await assert.rejects(kube.get(kustomizations, "apps", "flux-system"), (error) => {
    assert.ok(error instanceof KubeError);
    assert.equal(error.reason, "Forbidden");
    assert.equal(error.status, 403);
    assert.equal(
      error.message,
      'Kustomization flux-system/apps is forbidden for user "bob" in context staging: cannot get',
    );
    return true;
  });
  await assert.rejects(kube.list(kustomizations), {
    reason: "Forbidden",
    message:
      'kustomizations.kustomize.toolkit.fluxcd.io in all namespaces is forbidden for user "bob" in context staging: cannot list',
  });
  await assert.rejects(
    kube.patch(kustomizations, "apps", "flux-system", { spec: { suspend: true } }, "merge"),
    {
      reason: "Forbidden",
      message:
        /^Kustomization flux-system\/apps is forbidden for user "bob" in context staging: cannot patch$/,
    },
  );
});

test("an identity that may not list Secrets has none to mask: no error, said once on stderr", async () => {
  const warnings: string[] = [];
  const provider = createKubeProvider({
    kubeconfigPaths: [api.kubeconfigPath],
    readOnly: false,
    impersonate: { user: "bob" },
    warn: (message) => warnings.push(message),
  });
  const kube = await provider.forContext("staging");
  assert.equal(await kube.maskText("nothing-secret-here"), "nothing-secret-here");
  assert.equal(await (await provider.forContext("staging")).maskText("again"), "again");
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? "", /may not list Secrets/);
});

test("without impersonation the forbidden user comes from the server's answer", async () => {
  const tokens = new Map([["nobody-token", { user: "nobody", groups: [] }]]);
  const withTokens = await startTestApiServer({ tokens });
  try {
    const path = await writeKubeconfig(withTokens, "nobody.yaml", [
      { name: "staging", server: withTokens.server.clusterUrl("staging"), user: { token: "nobody-token" } },
    ]);
    const kube = await createKubeProvider({ kubeconfigPaths: [path], readOnly: false }).forContext("staging");
    assert.equal(kube.identity, "");
    await assert.rejects(kube.get(await kube.resolveKind("hr"), "podinfo", "apps"), {
      reason: "Forbidden",
      message: 'HelmRelease apps/podinfo is forbidden for user "nobody" in context staging: cannot get',
    });
  } finally {
    await withTokens.close();
  }
});

test("the kubeconfig user's own as / as-groups impersonate too, unless --kube-as is given", async () => {
  const { certificates } = api.server;
  const path = await writeKubeconfig(api, "as.yaml", [
    {
      name: "staging",
      server: api.server.clusterUrl("staging"),
      user: {
        "client-certificate-data": Buffer.from(certificates.adminClientCertPem).toString("base64"),
        "client-key-data": Buffer.from(certificates.adminClientKeyPem).toString("base64"),
        as: "dora",
        "as-groups": ["system:masters", "platform"],
      },
    },
  ]);
  const fromKubeconfig = await createKubeProvider({ kubeconfigPaths: [path], readOnly: false }).forContext(
    "staging",
  );
  assert.equal(fromKubeconfig.identity, 'as user "dora" with groups "system:masters", "platform"');
  const mark = api.server.requestLog.mark();
  await fromKubeconfig.serverVersion();
  const [entry] = api.server.requestLog.entries({ since: mark });
  assert.equal(entry?.user, "dora");
  assert.ok(entry?.groups.includes("platform"));

  const fromFlags = await createKubeProvider({
    kubeconfigPaths: [path],
    readOnly: false,
    impersonate: { user: "erin", groups: ["system:masters"] },
  }).forContext("staging");
  const flagMark = api.server.requestLog.mark();
  await fromFlags.serverVersion();
  assert.deepEqual(
    api.server.requestLog.entries({ since: flagMark }).map((logged) => logged.user),
    ["erin"],
  );
});
