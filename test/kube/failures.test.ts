// When the cluster is not there or too slow: unreachable, timed out and cancelled calls reject with
// a KubeError naming the context and the server, promptly, and nothing hangs.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { readFile, writeFile } from "node:fs/promises";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { closedPort, writeKubeconfig } from "../helpers/kube-config.ts";
import { createKubeProvider } from "../../src/kube/provider.ts";
import { KubeError, type Kube } from "../../src/kube/types.ts";

let api: TestApiServer;
let kube: Kube;

before(async () => {
  api = await startTestApiServer({
    tokens: new Map([["token", { user: "alice", groups: ["system:masters"] }]]),
  });
  kube = await createKubeProvider({ kubeconfigPaths: [api.kubeconfigPath], readOnly: false }).forContext(
    "staging",
  );
  await kube.resolveKind("ks");
});
afterEach(() => {
  api.server.faults.clear();
});
after(async () => {
  await api.close();
});

test("a port nobody listens on: Unreachable, naming the context and the server", async () => {
  const port = await closedPort();
  const path = await writeKubeconfig(api, "unreachable.yaml", [
    { name: "staging", server: `https://127.0.0.1:${port}`, user: { token: "token" } },
  ]);
  const provider = createKubeProvider({ kubeconfigPaths: [path], readOnly: false });
  const unreachable = await provider.forContext("staging");
  const started = Date.now();
  await assert.rejects(unreachable.resolveKind("ks"), (error) => {
    assert.ok(error instanceof KubeError);
    assert.equal(error.reason, "Unreachable");
    assert.equal(
      error.message,
      `cannot reach the Kubernetes API of context staging (https://127.0.0.1:${port}): connection refused; check that the cluster is up and reachable from here (VPN, proxy) and the server address in the kubeconfig`,
    );
    return true;
  });
  await assert.rejects(unreachable.serverVersion(), { reason: "Unreachable" });
  assert.ok(Date.now() - started < 5000);
});

test("a server whose certificate the kubeconfig does not trust is Unreachable, saying why", async () => {
  const path = await writeKubeconfig(api, "untrusted.yaml", [
    { name: "staging", server: api.server.clusterUrl("staging"), user: { token: "token" } },
  ]);
  await writeFile(path, (await readFile(path, "utf8")).replace(/certificate-authority-data: .*/, ""));
  const untrusted = await createKubeProvider({ kubeconfigPaths: [path], readOnly: false }).forContext(
    "staging",
  );
  await assert.rejects(untrusted.serverVersion(), {
    reason: "Unreachable",
    message:
      /^cannot reach the Kubernetes API of context staging \(https:.*\): the server's TLS certificate is not trusted/,
  });
});

test("a slow answer and a timed-out signal: Timeout, as soon as the signal fires", async () => {
  api.server.faults.add({ kind: "latency", delayMs: 5000, pathPrefix: "/clusters/staging/apis/kustomize" });
  const provider = createKubeProvider({ kubeconfigPaths: [api.kubeconfigPath], readOnly: false });
  const slow = await provider.forContext("staging", AbortSignal.timeout(150));
  const kustomizations = await kube.resolveKind("ks");
  const started = Date.now();
  await assert.rejects(slow.list(kustomizations), (error) => {
    assert.ok(error instanceof KubeError);
    assert.equal(error.reason, "Timeout");
    assert.match(error.message, /^timed out waiting for the Kubernetes API of context staging \(https:/);
    return true;
  });
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
});

test("slow discovery: the caller times out, the next call gets the discovery that went on", async () => {
  api.server.faults.add({ kind: "latency", delayMs: 400, pathPrefix: "/clusters/production/api", times: 1 });
  const mark = api.server.requestLog.mark();
  const provider = createKubeProvider({ kubeconfigPaths: [api.kubeconfigPath], readOnly: false });
  const first = await provider.forContext("production", AbortSignal.timeout(50));
  await assert.rejects(first.resolveKind("hr"), { reason: "Timeout" });
  const second = await provider.forContext("production", AbortSignal.timeout(5000));
  assert.equal((await second.resolveKind("hr")).kind, "HelmRelease");
  const coreDiscovery = () =>
    api.server.requestLog
      .entries({ since: mark })
      .filter((entry) => entry.path === "/clusters/production/api");
  // The log records a request when its response is done, which may come after the client read it.
  while (coreDiscovery().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(coreDiscovery().length, 1, "discovery ran once, shared by both calls");
});

test("a cancelled call: Cancelled, and the request is abandoned", async () => {
  api.server.faults.add({
    kind: "latency",
    delayMs: 5000,
    pathPrefix: "/clusters/staging/api/v1/namespaces",
  });
  const controller = new AbortController();
  const provider = createKubeProvider({ kubeconfigPaths: [api.kubeconfigPath], readOnly: false });
  const cancellable = await provider.forContext("staging", controller.signal);
  const pods = await kube.resolveKind("pods");
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(cancellable.list(pods, { namespace: "flux-system" }), {
    reason: "Cancelled",
    message: /^the request to the Kubernetes API of context staging \(https:.*\) was cancelled$/,
  });
  await assert.rejects(
    cancellable.list(pods),
    { reason: "Cancelled" },
    "an aborted signal sends nothing more",
  );
});

test("a call's signal keeps no listener of a request once it is answered, failed or thrown away", async () => {
  const controller = new AbortController();
  const provider = createKubeProvider({ kubeconfigPaths: [api.kubeconfigPath], readOnly: false });
  const call = await provider.forContext("staging", controller.signal);
  const kustomizations = await kube.resolveKind("ks");
  const listeners = () => getEventListeners(controller.signal, "abort").length;
  const before = listeners();
  await Promise.all(Array.from({ length: 5 }, () => call.list(kustomizations, { namespace: "flux-system" })));
  await assert.rejects(call.get(kustomizations, "no-such-kustomization", "flux-system"), {
    reason: "NotFound",
  });
  api.server.faults.add({ kind: "drop", pathPrefix: "/clusters/staging/apis" });
  await assert.rejects(call.get(kustomizations, "apps", "flux-system"), { reason: "Unreachable" });
  assert.equal(listeners(), before);
});

test("throttled reads are sent again after Retry-After", async () => {
  api.server.faults.add({
    kind: "throttle",
    retryAfterSeconds: 0,
    times: 1,
    pathPrefix: "/clusters/staging/apis",
  });
  const list = await kube.list(await kube.resolveKind("ks"), { namespace: "flux-system" });
  assert.ok(list.items.length > 0);
  assert.equal(api.server.faults.list()[0]?.fired, 1);
});

test("a server error answer is a ServerError with the status", async () => {
  api.server.faults.add({
    kind: "error",
    status: 500,
    message: "etcd is sad",
    pathPrefix: "/clusters/staging/apis",
  });
  await assert.rejects(kube.get(await kube.resolveKind("ks"), "apps", "flux-system"), {
    reason: "ServerError",
    status: 500,
    message:
      "cannot get Kustomization flux-system/apps in context staging: etcd is sad (HTTP 500); the API server failed: try again, and check its health if it persists",
  });
});

test("a dropped connection is Unreachable, not a hang", async () => {
  api.server.faults.add({ kind: "drop", pathPrefix: "/clusters/staging/apis" });
  await assert.rejects(kube.get(await kube.resolveKind("ks"), "apps", "flux-system"), {
    reason: "Unreachable",
  });
});
