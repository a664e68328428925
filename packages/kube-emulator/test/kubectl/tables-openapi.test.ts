// Real kubectl against the in-memory API server: server-side printed tables (`get`, `-o wide`,
// `-A`) and OpenAPI v3 (`explain`, `apply` with the default strict validation).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestApiServer, type TestApiServer } from "../../src/testing.ts";
import { tableRows } from "../../src/testing.ts";

const helmReleaseCrd = join(import.meta.dirname, "../data/helm.toolkit.fluxcd.io_helmreleases.yaml");

let api: TestApiServer;
let dataDirectory: string;

// Ages of 10 minutes or more print without seconds, so they do not change while the test runs.
const minutesAgo = (minutes: number) =>
  new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d+Z$/, "Z");

function objects(): string {
  return `
apiVersion: v1
kind: Namespace
metadata: {name: apps, creationTimestamp: "${minutesAgo(600)}"}
---
apiVersion: v1
kind: Pod
metadata: {name: podinfo-crashing, namespace: apps, creationTimestamp: "${minutesAgo(45)}"}
spec:
  nodeName: kind-control-plane
  containers: [{name: podinfo, image: ghcr.io/stefanprodan/podinfo:6.5.0}]
status:
  phase: Running
  podIP: 10.244.0.7
  podIPs: [{ip: 10.244.0.7}]
  containerStatuses:
  - name: podinfo
    ready: false
    restartCount: 5
    image: ghcr.io/stefanprodan/podinfo:6.5.0
    imageID: ""
    state: {waiting: {reason: CrashLoopBackOff, message: back-off restarting failed container}}
    lastState: {terminated: {exitCode: 1, reason: Error, startedAt: "${minutesAgo(13)}", finishedAt: "${minutesAgo(12)}"}}
---
apiVersion: v1
kind: Pod
metadata: {name: podinfo-running, namespace: apps, creationTimestamp: "${minutesAgo(45)}"}
spec:
  nodeName: kind-control-plane
  containers: [{name: podinfo, image: ghcr.io/stefanprodan/podinfo:6.5.0}]
status:
  phase: Running
  podIP: 10.244.0.8
  podIPs: [{ip: 10.244.0.8}]
  conditions: [{type: Ready, status: "True"}]
  containerStatuses:
  - name: podinfo
    ready: true
    restartCount: 0
    image: ghcr.io/stefanprodan/podinfo:6.5.0
    imageID: ""
    state: {running: {startedAt: "${minutesAgo(44)}"}}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: apps, creationTimestamp: "${minutesAgo(3 * 24 * 60 + 120)}"}
spec:
  interval: 10m
  chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}}
status:
  conditions:
  - {type: Ready, status: "False", reason: InstallFailed, message: "Helm install failed: timed out", lastTransitionTime: "${minutesAgo(3)}"}
`;
}

before(async () => {
  dataDirectory = await mkdtemp(join(tmpdir(), "flux-mcp-tables-"));
  const objectsFile = join(dataDirectory, "objects.yaml");
  await writeFile(objectsFile, objects());
  api = await startTestApiServer({
    sources: [{ name: "test", paths: [helmReleaseCrd, objectsFile] }],
    simulation: false,
  });
});

after(async () => {
  await api?.close();
  await rm(dataDirectory, { recursive: true, force: true });
});

async function ok(args: string[], input?: string): Promise<string> {
  const { code, stdout, stderr } = await api.kubectl(args, input);
  assert.equal(code, 0, `kubectl ${args.join(" ")} failed: ${stderr}`);
  return stdout;
}

test("get pods prints READY STATUS RESTARTS from the server's table", async () => {
  const rows = tableRows(await ok(["get", "pods", "-n", "apps"]));
  assert.deepEqual(rows[0], ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
  assert.deepEqual(rows[1], ["podinfo-crashing", "0/1", "CrashLoopBackOff", "5 (12m ago)", "45m"]);
  assert.deepEqual(rows[2], ["podinfo-running", "1/1", "Running", "0", "45m"]);
});

test("get pods -o wide adds the priority columns", async () => {
  const rows = tableRows(await ok(["get", "pods", "-n", "apps", "-o", "wide"]));
  assert.deepEqual(rows[0], [
    "NAME",
    "READY",
    "STATUS",
    "RESTARTS",
    "AGE",
    "IP",
    "NODE",
    "NOMINATED NODE",
    "READINESS GATES",
  ]);
  assert.deepEqual(rows[2]?.slice(5), ["10.244.0.8", "kind-control-plane", "<none>", "<none>"]);
});

test("get hr -A prints the HelmRelease printer columns with a namespace column", async () => {
  const rows = tableRows(await ok(["get", "hr", "-A"]));
  assert.deepEqual(rows[0], ["NAMESPACE", "NAME", "AGE", "READY", "STATUS"]);
  assert.deepEqual(rows[1], ["apps", "podinfo", "3d2h", "False", "Helm install failed: timed out"]);
});

test("explain helmrelease.spec describes the CRD schema", async () => {
  const out = await ok(["explain", "helmrelease.spec"]);
  assert.match(out, /GROUP:\s+helm\.toolkit\.fluxcd\.io/);
  assert.match(out, /KIND:\s+HelmRelease/);
  assert.match(out, /VERSION:\s+v2/);
  assert.match(out, /FIELD: spec <Object>/);
  assert.match(out, /\n {2}interval\s+<string> -required-/);
  assert.match(out, /\n {2}chart\s+<Object>/);
});

test("explain deployment describes the built-in kind", async () => {
  const out = await ok(["explain", "deployment"]);
  assert.match(out, /GROUP:\s+apps/);
  assert.match(out, /KIND:\s+Deployment/);
  assert.match(out, /\n {2}metadata\s+<ObjectMeta>/);
  assert.match(out, /\n {2}spec\s+<Object>/);
});

test("apply -f with default (strict) validation validates on the server", async () => {
  const configMap = `
apiVersion: v1
kind: ConfigMap
metadata: {name: podinfo-values, namespace: apps}
data: {replicaCount: "2"}
`;
  assert.match(await ok(["apply", "-f", "-"], configMap), /configmap\/podinfo-values created/);
  assert.match(await ok(["apply", "-f", "-"], configMap), /configmap\/podinfo-values unchanged/);
  const rows = tableRows(await ok(["get", "configmap", "podinfo-values", "-n", "apps"]));
  assert.deepEqual(rows[0], ["NAME", "DATA", "AGE"]);
  assert.equal(rows[1]?.[1], "1");
});
