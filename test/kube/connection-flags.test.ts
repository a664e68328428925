// The reference's kubectl-like flags (--kube-server, --kube-token, --kube-client-certificate and
// --kube-client-key, --kube-certificate-authority, --kube-tls-server-name,
// --kube-insecure-skip-tls-verify, --kube-as-uid, -n) as the kube layer applies them, against the
// in-memory API server: the identity and the namespace it saw in its request log.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  createCertificateAuthority,
  issueClientCertificate,
  issueServerCertificate,
  startTestApiServer,
  type TestApiServer,
} from "../helpers/apiserver.ts";
import { closedPort, startClusterProxy } from "../helpers/kube-config.ts";
import { stringify } from "yaml";
import type { ConnectionOverrides } from "../../src/kube/kubeconfig.ts";
import { createKubeProvider, type KubeProviderOptions } from "../../src/kube/provider.ts";
import { KubeError, type Kube } from "../../src/kube/types.ts";

let api: TestApiServer;
let caFile: string;
let noKubeconfig: string;

const tokens = new Map([["alice-token", { user: "alice", groups: ["system:masters"] }]]);

before(async () => {
  api = await startTestApiServer({ tokens });
  caFile = join(api.directory, "ca.crt");
  await writeFile(caFile, api.server.certificates.caCertPem);
  noKubeconfig = join(api.directory, "no-such-kubeconfig.yaml");
});
after(async () => {
  await api.close();
});

function kubeFor(overrides: ConnectionOverrides, options: Partial<KubeProviderOptions> = {}): Promise<Kube> {
  return createKubeProvider({
    kubeconfigPaths: [noKubeconfig],
    readOnly: false,
    overrides,
    ...options,
  }).forContext();
}

/** A kubeconfig of one context `staging` with the given cluster and user entries, as it is on disk. */
async function kubeconfigWith(file: string, cluster: Record<string, unknown>, user: Record<string, unknown>) {
  const path = join(api.directory, file);
  await writeFile(
    path,
    stringify({
      apiVersion: "v1",
      kind: "Config",
      "current-context": "staging",
      clusters: [{ name: "staging", cluster }],
      users: [{ name: "staging", user }],
      contexts: [{ name: "staging", context: { cluster: "staging", user: "staging" } }],
    }),
  );
  return path;
}

/** Reads a Kustomization and answers what the API server saw: user, groups, uid and paths. */
async function seenBy(kube: Kube, namespace?: string) {
  const mark = api.server.requestLog.mark();
  const object = await kube.get(await kube.resolveKind("ks"), "apps", namespace);
  const entries = api.server.requestLog.entries({ since: mark });
  assert.ok(entries.length > 0);
  const users = new Set(entries.map((entry) => entry.user));
  assert.equal(users.size, 1, [...users].join(", "));
  // Other requests (discovery, the masking index's Secret list) may interleave: the GET is the one read.
  const read = entries.filter((entry) => entry.verb === "get" && entry.path.includes("/kustomizations/apps"));
  assert.equal(read.length, 1, entries.map((entry) => entry.path).join(", "));
  return { object, entry: read[0]!, users: [...users] };
}

function isTlsRefusal(error: unknown): boolean {
  assert.ok(error instanceof KubeError, String(error));
  assert.match(error.message, /certificate|TLS|altnames|self-signed/i);
  return true;
}

test("--kube-server and --kube-token with --kube-certificate-authority: no kubeconfig needed", async () => {
  const kube = await kubeFor({
    server: api.server.clusterUrl("staging"),
    token: "alice-token",
    certificateAuthority: caFile,
  });
  assert.equal(kube.context, "kube-server");
  const { users } = await seenBy(kube, "flux-system");
  assert.deepEqual(users, ["alice"]);
});

test("--kube-token replaces the kubeconfig user's credentials; --kube-server replaces its server", async () => {
  // The kubeconfig names a port nobody listens on and the admin's client certificate.
  const path = await kubeconfigWith(
    "stale-server.yaml",
    {
      server: `https://127.0.0.1:${await closedPort()}/clusters/staging`,
      "certificate-authority-data": Buffer.from(api.server.certificates.caCertPem).toString("base64"),
    },
    { tokenFile: join(api.directory, "no-such-token") },
  );
  const kube = await createKubeProvider({
    kubeconfigPaths: [path],
    readOnly: false,
    overrides: { server: api.server.clusterUrl("staging"), token: "alice-token" },
  }).forContext();
  assert.equal(kube.context, "staging");
  assert.deepEqual((await seenBy(kube, "flux-system")).users, ["alice"]);
});

test("--kube-client-certificate and --kube-client-key: the certificate's subject is the user", async () => {
  const issued = await issueClientCertificate(api.server.certificates, {
    user: "carol",
    groups: ["system:masters"],
  });
  const certificate = join(api.directory, "carol.crt");
  const key = join(api.directory, "carol.key");
  await writeFile(certificate, issued.certPem);
  await writeFile(key, issued.keyPem, { mode: 0o600 });
  const kube = await kubeFor({
    server: api.server.clusterUrl("staging"),
    certificateAuthority: caFile,
    clientCertificate: certificate,
    clientKey: key,
  });
  const { users, entry } = await seenBy(kube, "flux-system");
  assert.deepEqual(users, ["carol"]);
  assert.ok(entry.groups.includes("system:masters"), entry.groups.join(", "));

  // The admin's certificate data in a kubeconfig gives way to the files.
  const admin = await createKubeProvider({
    kubeconfigPaths: [api.kubeconfigPath],
    readOnly: false,
    overrides: { clientCertificate: certificate, clientKey: key },
  }).forContext("staging");
  assert.deepEqual((await seenBy(admin, "flux-system")).users, ["carol"]);
});

test("without a CA the server's certificate is refused; --kube-certificate-authority makes it trusted", async () => {
  const untrusted = await kubeFor({ server: api.server.clusterUrl("staging"), token: "alice-token" });
  await assert.rejects(untrusted.resolveKind("ks"), isTlsRefusal);
  const trusted = await kubeFor({
    server: api.server.clusterUrl("staging"),
    token: "alice-token",
    certificateAuthority: caFile,
  });
  assert.deepEqual((await seenBy(trusted, "flux-system")).users, ["alice"]);
});

test("--kube-insecure-skip-tls-verify: refused unless asked, and it drops the kubeconfig's CA", async () => {
  const otherCa = await createCertificateAuthority("another-ca");
  // A kubeconfig whose CA is not the one that signed the server's certificate.
  const path = await kubeconfigWith(
    "wrong-ca.yaml",
    {
      server: api.server.clusterUrl("staging"),
      "certificate-authority-data": Buffer.from(otherCa.caCertPem).toString("base64"),
    },
    { token: "alice-token" },
  );
  const verified = createKubeProvider({ kubeconfigPaths: [path], readOnly: false });
  await assert.rejects((await verified.forContext()).resolveKind("ks"), isTlsRefusal);
  const insecure = createKubeProvider({
    kubeconfigPaths: [path],
    readOnly: false,
    overrides: { insecureSkipTlsVerify: true },
  });
  assert.deepEqual((await seenBy(await insecure.forContext(), "flux-system")).users, ["alice"]);
});

test("--kube-tls-server-name: an API server reached by address whose certificate names only its DNS name", async () => {
  // As when a cluster is reached through a tunnel or an IP: the certificate names kubernetes.default.svc only.
  const serving = await issueServerCertificate(api.server.certificates, [
    { type: "dns", value: "kubernetes.default.svc" },
  ]);
  const proxy = await startClusterProxy(api, "staging", serving);
  try {
    const base = {
      server: `https://127.0.0.1:${proxy.port}`,
      token: "alice-token",
      certificateAuthority: caFile,
    };
    await assert.rejects((await kubeFor(base)).resolveKind("ks"), {
      message: /the server's TLS certificate does not match its address/,
    });
    const named = await kubeFor({ ...base, tlsServerName: "kubernetes.default.svc" });
    assert.deepEqual((await seenBy(named, "flux-system")).users, ["alice"]);
  } finally {
    await proxy.close();
  }
});

test("--kube-tls-server-name: the certificate is checked against that name, not the URL's host", async () => {
  const server = api.server.clusterUrl("staging");
  assert.equal(new URL(server).hostname, "127.0.0.1");
  const base = { server, token: "alice-token", certificateAuthority: caFile };
  // The serving certificate names localhost (and 127.0.0.1), not elsewhere.example.
  const named = await kubeFor({ ...base, tlsServerName: "localhost" });
  assert.deepEqual((await seenBy(named, "flux-system")).users, ["alice"]);
  const misnamed = await kubeFor({ ...base, tlsServerName: "elsewhere.example" });
  await assert.rejects(misnamed.resolveKind("ks"), {
    message: /the server's TLS certificate does not match its address/,
  });
});

test("--kube-as-uid: the API server sees the impersonated UID with the user", async () => {
  const kube = await createKubeProvider({
    kubeconfigPaths: [api.kubeconfigPath],
    readOnly: false,
    impersonate: { user: "dave", groups: ["system:masters"], uid: "uid-1234" },
  }).forContext("staging");
  assert.equal(kube.identity, 'as user "dave" with groups "system:masters" with uid "uid-1234"');
  const { users, entry } = await seenBy(kube, "flux-system");
  assert.deepEqual(users, ["dave"]);
  assert.equal(entry.uid, "uid-1234");

  // A UID alone impersonates nobody: the API server refuses it, as kube-apiserver does.
  const alone = await createKubeProvider({
    kubeconfigPaths: [api.kubeconfigPath],
    readOnly: false,
    impersonate: { uid: "uid-1234" },
  }).forContext("staging");
  await assert.rejects(alone.resolveKind("ks"), { reason: "Forbidden" });
});

test("the kubeconfig user's as-uid is sent too, and --kube-as-uid wins over it", async () => {
  const path = await kubeconfigWith(
    "as-uid.yaml",
    {
      server: api.server.clusterUrl("staging"),
      "certificate-authority-data": Buffer.from(api.server.certificates.caCertPem).toString("base64"),
    },
    { token: "alice-token", as: "erin", "as-groups": ["system:masters"], "as-uid": "from-kubeconfig" },
  );
  const fromKubeconfig = await createKubeProvider({ kubeconfigPaths: [path], readOnly: false }).forContext();
  assert.equal((await seenBy(fromKubeconfig, "flux-system")).entry.uid, "from-kubeconfig");
  const fromFlag = await createKubeProvider({
    kubeconfigPaths: [path],
    readOnly: false,
    impersonate: { uid: "from-flag" },
  }).forContext();
  const { users, entry } = await seenBy(fromFlag, "flux-system");
  assert.deepEqual(users, ["erin"]);
  assert.equal(entry.uid, "from-flag");
});

test("-n/--namespace: calls that name no namespace use it, in every context", async () => {
  const provider = createKubeProvider({
    kubeconfigPaths: [api.kubeconfigPath],
    readOnly: false,
    namespace: "flux-system",
  });
  for (const context of ["staging", "production"]) {
    const kube = await provider.forContext(context);
    assert.equal(kube.namespace, "flux-system");
    const { object, entry } = await seenBy(kube);
    assert.equal(object.metadata.namespace, "flux-system");
    assert.match(entry.path, /\/namespaces\/flux-system\/kustomizations\/apps$/);
  }
  // Without it, the context's namespace (none here) and then "default", as kubectl.
  const unset = await createKubeProvider({
    kubeconfigPaths: [api.kubeconfigPath],
    readOnly: false,
  }).forContext("staging");
  assert.equal(unset.namespace, "default");
  await assert.rejects(unset.get(await unset.resolveKind("ks"), "apps"), { reason: "NotFound" });
});
