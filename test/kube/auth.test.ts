// Every way kubectl users authenticate, against the in-memory API server: client certificates,
// bearer tokens, token files, exec credential plugins, the in-cluster service account; the request
// log shows which identity the server saw.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdir, readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { startClusterProxy, writeKubeconfig } from "../helpers/kube-config.ts";
import { issueClientCertificate } from "@flux-mcp/kube-emulator";
import { createKubeProvider } from "../../src/kube/provider.ts";
import { KubeError, type Kube, type KubeProvider } from "../../src/kube/types.ts";

let api: TestApiServer;

const tokens = new Map([
  ["alice-token", { user: "alice", groups: ["system:masters"] }],
  ["file-token", { user: "fiona", groups: ["system:masters"] }],
  ["next-token", { user: "nora", groups: ["system:masters"] }],
  ["exec-token", { user: "exec-user", groups: ["system:masters"] }],
  ["robot-token", { user: "system:serviceaccount:flux-system:flux-mcp", groups: ["system:masters"] }],
]);

before(async () => {
  api = await startTestApiServer({ tokens });
});
after(async () => {
  await api.close();
});

function provider(kubeconfigPath: string): KubeProvider {
  return createKubeProvider({ kubeconfigPaths: [kubeconfigPath], readOnly: false });
}

/** Lists Kustomizations and answers the user the API server saw. */
async function userSeenBy(kube: Kube): Promise<string | undefined> {
  const mark = api.server.requestLog.mark();
  const list = await kube.list(await kube.resolveKind("ks"), { namespace: "flux-system" });
  assert.ok(list.items.length > 0);
  const users = new Set(api.server.requestLog.entries({ since: mark }).map((entry) => entry.user));
  assert.equal(users.size, 1, [...users].join(", "));
  return [...users][0];
}

test("client certificate: the kubeconfig the server writes authenticates as its admin", async () => {
  const kube = await provider(api.kubeconfigPath).forContext("staging");
  assert.equal(await userSeenBy(kube), "admin");
});

test("client certificate files replaced on disk: the next request presents the new certificate", async () => {
  const directory = join(api.directory, "rotated-client");
  await mkdir(directory, { recursive: true });
  const install = async (user: string) => {
    const issued = await issueClientCertificate(api.server.certificates, {
      user,
      groups: ["system:masters"],
    });
    await writeFile(join(directory, "client.crt"), issued.certPem);
    await writeFile(join(directory, "client.key"), issued.keyPem);
  };
  await install("carol");
  const path = await writeKubeconfig(api, "client-files.yaml", [
    {
      name: "staging",
      server: api.server.clusterUrl("staging"),
      user: { "client-certificate": "rotated-client/client.crt", "client-key": "rotated-client/client.key" },
    },
  ]);
  const kube = await provider(path).forContext("staging");
  const kind = await kube.resolveKind("ks");
  const listedBy = async () => {
    const mark = api.server.requestLog.mark();
    await kube.list(kind, { namespace: "flux-system" });
    // The list itself: the Secret list and watch of masking come and go on their own schedule.
    return api.server.requestLog
      .entries({ since: mark, verb: "list" })
      .filter((entry) => entry.path.includes("/kustomizations"))
      .map((entry) => entry.user);
  };
  assert.deepEqual(await listedBy(), ["carol"]);
  assert.deepEqual(await listedBy(), ["carol"]);
  await install("dave");
  assert.deepEqual(await listedBy(), ["dave"]);
});

test("bearer token", async () => {
  const path = await writeKubeconfig(api, "token.yaml", [
    { name: "staging", server: api.server.clusterUrl("staging"), user: { token: "alice-token" } },
  ]);
  assert.equal(await userSeenBy(await provider(path).forContext("staging")), "alice");
});

test("token file, relative to the kubeconfig, with a trailing newline", async () => {
  await mkdir(join(api.directory, "tokens"), { recursive: true });
  await writeFile(join(api.directory, "tokens", "staging"), "file-token\n");
  const path = await writeKubeconfig(api, "token-file.yaml", [
    { name: "staging", server: api.server.clusterUrl("staging"), user: { tokenFile: "tokens/staging" } },
  ]);
  assert.equal(await userSeenBy(await provider(path).forContext("staging")), "fiona");
});

test("a token file rewritten in place, same length, just after a request: the next request uses the new token", async () => {
  await mkdir(join(api.directory, "tokens"), { recursive: true });
  const file = join(api.directory, "tokens", "rewritten");
  await writeFile(file, "file-token");
  const path = await writeKubeconfig(api, "token-file-rewritten.yaml", [
    { name: "staging", server: api.server.clusterUrl("staging"), user: { tokenFile: "tokens/rewritten" } },
  ]);
  const kube = await provider(path).forContext("staging");
  assert.equal(await userSeenBy(kube), "fiona");
  // Within the file system's time granularity: the modification time alone may not move.
  await writeFile(file, "next-token");
  assert.equal(await userSeenBy(kube), "nora");
});

test("an old token file rewritten with the same length and modification time: the next request uses the new token", async () => {
  await mkdir(join(api.directory, "tokens"), { recursive: true });
  const file = join(api.directory, "tokens", "old");
  const longAgo = new Date(Date.now() - 3600_000);
  await writeFile(file, "file-token");
  await utimes(file, longAgo, longAgo);
  const path = await writeKubeconfig(api, "token-file-old.yaml", [
    { name: "staging", server: api.server.clusterUrl("staging"), user: { tokenFile: "tokens/old" } },
  ]);
  const kube = await provider(path).forContext("staging");
  assert.equal(await userSeenBy(kube), "fiona");
  assert.equal(await userSeenBy(kube), "fiona");
  await writeFile(file, "next-token");
  await utimes(file, longAgo, longAgo);
  assert.equal(await userSeenBy(kube), "nora");
});

test("a missing token file is a Config error naming the file", async () => {
  const path = await writeKubeconfig(api, "token-file-missing.yaml", [
    { name: "staging", server: api.server.clusterUrl("staging"), user: { tokenFile: "tokens/none" } },
  ]);
  const kube = await provider(path).forContext("staging");
  await assert.rejects(kube.resolveKind("ks"), (error) => {
    assert.ok(error instanceof KubeError);
    assert.equal(error.reason, "Config");
    assert.equal(
      error.message,
      `cannot read ${join(api.directory, "tokens", "none")} for context staging: no such file; fix the path in the kubeconfig`,
    );
    return true;
  });
});

test("exec credential plugin, as EKS, GKE and AKS kubeconfigs use them", async () => {
  const plugin = join(api.directory, "credential-plugin.mjs");
  await writeFile(
    plugin,
    `process.stdout.write(JSON.stringify({
      apiVersion: "client.authentication.k8s.io/v1beta1",
      kind: "ExecCredential",
      status: { token: process.env.PLUGIN_TOKEN, expirationTimestamp: new Date(Date.now() + 3600_000).toISOString() },
    }));`,
  );
  const path = await writeKubeconfig(api, "exec.yaml", [
    {
      name: "staging",
      server: api.server.clusterUrl("staging"),
      user: {
        exec: {
          apiVersion: "client.authentication.k8s.io/v1beta1",
          command: process.execPath,
          args: [plugin],
          env: [{ name: "PLUGIN_TOKEN", value: "exec-token" }],
          interactiveMode: "Never",
        },
      },
    },
  ]);
  assert.equal(await userSeenBy(await provider(path).forContext("staging")), "exec-user");
});

test("an exec plugin runs once for the requests sent together", async () => {
  const runs = join(api.directory, "plugin-runs.log");
  const plugin = join(api.directory, "counting-plugin.mjs");
  await writeFile(
    plugin,
    `import { appendFileSync } from "node:fs";
    appendFileSync(${JSON.stringify(runs)}, "run\\n");
    process.stdout.write(JSON.stringify({
      apiVersion: "client.authentication.k8s.io/v1",
      kind: "ExecCredential",
      status: { token: "exec-token", expirationTimestamp: new Date(Date.now() + 3600_000).toISOString() },
    }));`,
  );
  const path = await writeKubeconfig(api, "exec-counting.yaml", [
    {
      name: "staging",
      server: api.server.clusterUrl("staging"),
      user: {
        exec: { apiVersion: "client.authentication.k8s.io/v1", command: process.execPath, args: [plugin] },
      },
    },
  ]);
  const kube = await provider(path).forContext("staging");
  const mark = api.server.requestLog.mark();
  await kube.resolveKind("ks");
  await kube.list(await kube.resolveKind("hr"));
  // Discovery's two requests (/api and /apis) go together, then the list.
  assert.ok(api.server.requestLog.entries({ since: mark }).length >= 3);
  assert.equal(await readFile(runs, "utf8"), "run\n");
});

test("an exec plugin next to the kubeconfig, named by a relative path", async () => {
  await mkdir(join(api.directory, "bin"), { recursive: true });
  const script = join(api.directory, "bin", "get-token");
  await writeFile(
    script,
    `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-token"}}'\n`,
  );
  await chmod(script, 0o755);
  const path = await writeKubeconfig(api, "exec-relative.yaml", [
    {
      name: "staging",
      server: api.server.clusterUrl("staging"),
      user: { exec: { apiVersion: "client.authentication.k8s.io/v1", command: "./bin/get-token" } },
    },
  ]);
  assert.equal(await userSeenBy(await provider(path).forContext("staging")), "exec-user");
});

test("a failing exec plugin is Unauthorized with the plugin's own words", async () => {
  const plugin = join(api.directory, "expired-plugin.mjs");
  await writeFile(
    plugin,
    `console.error("\\nthe SSO session has expired; run aws sso login"); process.exit(1);`,
  );
  const path = await writeKubeconfig(api, "exec-failing.yaml", [
    {
      name: "staging",
      server: api.server.clusterUrl("staging"),
      user: {
        exec: { apiVersion: "client.authentication.k8s.io/v1", command: process.execPath, args: [plugin] },
      },
    },
  ]);
  const mark = api.server.requestLog.mark();
  await assert.rejects((await provider(path).forContext("staging")).resolveKind("ks"), (error) => {
    assert.ok(error instanceof KubeError);
    assert.equal(error.reason, "Unauthorized");
    assert.equal(
      error.message,
      "cannot get credentials for context staging: the SSO session has expired; run aws sso login",
    );
    return true;
  });
  assert.deepEqual(api.server.requestLog.entries({ since: mark }), []);
});

test("an exec plugin that is not installed is a Config error", async () => {
  const path = await writeKubeconfig(api, "exec-missing.yaml", [
    {
      name: "staging",
      server: api.server.clusterUrl("staging"),
      user: { exec: { apiVersion: "client.authentication.k8s.io/v1", command: "no-such-credential-plugin" } },
    },
  ]);
  await assert.rejects((await provider(path).forContext("staging")).resolveKind("ks"), {
    reason: "Config",
    message:
      "the exec credential plugin of context staging cannot run: no-such-credential-plugin not found; install it, or put it on the PATH of the MCP server",
  });
});

test("a rejected token is Unauthorized and says so in one line", async () => {
  const path = await writeKubeconfig(api, "bad-token.yaml", [
    { name: "staging", server: api.server.clusterUrl("staging"), user: { token: "nobody-knows-this" } },
  ]);
  await assert.rejects((await provider(path).forContext("staging")).resolveKind("ks"), {
    reason: "Unauthorized",
    message: /^the credentials of context staging were rejected \(401 Unauthorized\)/,
  });
});

test("in-cluster: the service account token and CA files, the namespace file", async () => {
  const proxy = await startClusterProxy(api, "staging");
  try {
    const accountDirectory = join(api.directory, "serviceaccount");
    await mkdir(accountDirectory, { recursive: true });
    await writeFile(join(accountDirectory, "token"), "robot-token");
    await writeFile(join(accountDirectory, "ca.crt"), api.server.certificates.caCertPem);
    await writeFile(join(accountDirectory, "namespace"), "flux-system");
    const inCluster = createKubeProvider({
      kubeconfigPaths: [],
      readOnly: false,
      inCluster: {
        host: "127.0.0.1",
        port: String(proxy.port),
        tokenFile: join(accountDirectory, "token"),
        caFile: join(accountDirectory, "ca.crt"),
        namespaceFile: join(accountDirectory, "namespace"),
      },
    });
    assert.equal(inCluster.inCluster, true);
    assert.deepEqual(await inCluster.contexts(), []);
    assert.equal(await inCluster.defaultContext(), "in-cluster");
    const kube = await inCluster.forContext();
    assert.equal(kube.context, "in-cluster");
    assert.equal(await userSeenBy(kube), "system:serviceaccount:flux-system:flux-mcp");
    // A namespaced object named without a namespace is looked up in the service account's namespace.
    assert.equal((await kube.get(await kube.resolveKind("ks"), "apps")).metadata.namespace, "flux-system");
    await assert.rejects(inCluster.forContext("production"), { reason: "Config" });
  } finally {
    await proxy.close();
  }
});

test("kubeconfig paths take precedence over the in-cluster service account", async () => {
  const both = createKubeProvider({
    kubeconfigPaths: [api.kubeconfigPath],
    readOnly: false,
    inCluster: { host: "127.0.0.1", port: "1" },
  });
  assert.equal(both.inCluster, false);
  assert.equal(await both.defaultContext(), "staging");
});
