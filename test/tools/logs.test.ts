import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { demoClusterSources } from "../helpers/apiserver.ts";
import { getKubernetesLogs, GREP_SCAN_LINES } from "../../src/tools/reporting/get-kubernetes-logs.ts";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectTools, type ToolSession } from "../helpers/tool-session.ts";

// A small cluster beside the demo fleet for what it lacks: a CronJob's Job and pod, a pod matching a
// Job's selector without being its own, init and sidecar containers, a stack trace and a long line.
const LAB = `
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: jobs, uid: 0c000000-0000-0000-0000-000000000001}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: backup, image: busybox}]
---
apiVersion: batch/v1
kind: Job
metadata:
  name: backup-29000000
  namespace: jobs
  uid: 0b000000-0000-0000-0000-000000000001
  labels: {job-name: backup-29000000}
  ownerReferences:
    - {apiVersion: batch/v1, kind: CronJob, name: backup, uid: 0c000000-0000-0000-0000-000000000001, controller: true}
spec:
  selector: {matchLabels: {batch.kubernetes.io/controller-uid: 0b000000-0000-0000-0000-000000000001}}
  template:
    metadata: {labels: {batch.kubernetes.io/controller-uid: 0b000000-0000-0000-0000-000000000001}}
    spec:
      restartPolicy: Never
      containers: [{name: backup, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata:
  name: backup-29000000-x7k2p
  namespace: jobs
  creationTimestamp: "2026-01-01T10:00:00Z"
  labels: {batch.kubernetes.io/controller-uid: 0b000000-0000-0000-0000-000000000001}
  ownerReferences:
    - {apiVersion: batch/v1, kind: Job, name: backup-29000000, uid: 0b000000-0000-0000-0000-000000000001, controller: true}
spec:
  containers: [{name: backup, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata:
  name: impostor
  namespace: jobs
  creationTimestamp: "2026-01-01T11:00:00Z"
  labels: {batch.kubernetes.io/controller-uid: 0b000000-0000-0000-0000-000000000001}
spec:
  containers: [{name: backup, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata: {name: worker, namespace: jobs, creationTimestamp: "2026-01-01T09:00:00Z"}
spec:
  initContainers: [{name: migrate, image: busybox}, {name: fetch, image: busybox}]
  containers: [{name: app, image: busybox}, {name: proxy, image: envoy}]
status:
  phase: Pending
  initContainerStatuses:
    - {name: fetch, restartCount: 0, state: {terminated: {reason: Completed, exitCode: 0}}}
    - {name: migrate, restartCount: 2, state: {terminated: {reason: Error, exitCode: 3}}, lastState: {terminated: {reason: Error, exitCode: 3}}}
  containerStatuses:
    - {name: app, restartCount: 0, state: {waiting: {reason: PodInitializing}}}
    - {name: proxy, restartCount: 0, state: {waiting: {reason: PodInitializing}}}
---
apiVersion: apiserver.flux-mcp.dev/v1alpha1
kind: PodLogs
metadata: {namespace: jobs, name: backup-29000000-x7k2p}
containers:
  - name: backup
    log: |
      2026-01-01T10:00:01Z starting backup
      2026-01-01T10:00:02Z uploaded 3 files
---
apiVersion: apiserver.flux-mcp.dev/v1alpha1
kind: PodLogs
metadata: {namespace: jobs, name: impostor}
containers:
  - name: backup
    log: |
      2026-01-01T11:00:01Z not the job's pod
---
apiVersion: apiserver.flux-mcp.dev/v1alpha1
kind: PodLogs
metadata: {namespace: jobs, name: worker}
containers:
  - name: migrate
    log: |
      2026-01-01T09:00:01Z applying migration 7
      2026-01-01T09:00:02Z panic: relation "orders" does not exist
      2026-01-01T09:00:02Z 	goroutine 1 [running]:
      2026-01-01T09:00:02Z 	main.migrate(0x7)
      2026-01-01T09:00:03Z exiting with code 3
      2026-01-01T09:00:04Z ${"x".repeat(2500)}
  - name: proxy
    log: |
      2026-01-01T09:00:05Z proxy waiting for app
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: orphan, namespace: jobs, uid: 0d000000-0000-0000-0000-000000000001}
spec:
  selector: {matchLabels: {app: orphan}}
  template:
    metadata: {labels: {app: orphan}}
    spec: {containers: [{name: app, image: busybox}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: orphan-5d8f9-qq2lx
  namespace: jobs
  labels: {app: orphan}
  ownerReferences:
    - {apiVersion: apps/v1, kind: ReplicaSet, name: orphan-5d8f9, uid: 0d000000-0000-0000-0000-00000000dead, controller: true}
spec:
  containers: [{name: app, image: busybox}]
status:
  phase: Running
  containerStatuses:
    - {name: app, restartCount: 11, state: {waiting: {reason: CrashLoopBackOff}}, lastState: {}}
---
apiVersion: v1
kind: Pod
metadata: {name: moved, namespace: jobs}
spec:
  containers: [{name: app, image: busybox}]
status:
  phase: Running
  containerStatuses:
    - {name: app, restartCount: 3, state: {running: {}}, lastState: {terminated: {reason: Error, exitCode: 1}}}
---
apiVersion: apiserver.flux-mcp.dev/v1alpha1
kind: PodLogs
metadata: {namespace: jobs, name: orphan-5d8f9-qq2lx}
containers:
  - name: app
    log: |
      2026-01-01T12:00:01Z config error: DATABASE_URL is not set
---
apiVersion: apiserver.flux-mcp.dev/v1alpha1
kind: PodLogs
metadata: {namespace: jobs, name: moved}
containers:
  - name: app
    log: |
      2026-01-01T12:00:01Z started again
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: fleet, namespace: jobs, uid: 0a000000-0000-0000-0000-000000000001}
spec:
  replicas: 7
  selector: {matchLabels: {app: fleet}}
  template:
    metadata: {labels: {app: fleet}}
    spec: {containers: [{name: w, image: busybox}]}
${[0, 1, 2, 3, 4, 5, 6]
  .map(
    (index) => `---
apiVersion: v1
kind: Pod
metadata:
  name: fleet-${index}
  namespace: jobs
  creationTimestamp: "2026-01-01T0${index}:00:00Z"
  labels: {app: fleet}
  ownerReferences:
    - {apiVersion: apps/v1, kind: ReplicaSet, name: fleet, uid: 0a000000-0000-0000-0000-000000000001, controller: true}
spec:
  containers: [{name: w, image: busybox}]
`,
  )
  .join("")}`;

describe("get_kubernetes_logs", () => {
  let api: TestApiServer;
  let labDirectory: string;
  let staging: ToolSession;
  let lab: ToolSession;

  before(async () => {
    labDirectory = await mkdtemp(join(tmpdir(), "flux-mcp-logs-"));
    await writeFile(join(labDirectory, "lab.yaml"), LAB);
    api = await startTestApiServer({
      sources: [...demoClusterSources(), { name: "lab", paths: [labDirectory] }],
    });
    staging = await connectTools(api, { context: "staging" });
    lab = await connectTools(api, { context: "lab" });
  });
  after(async () => {
    await api.close();
    await rm(labDirectory, { recursive: true, force: true });
  });

  const logs = (args: Record<string, unknown>, ctx = staging) => ctx.call("get_kubernetes_logs", args);
  /** The log lines of an answer: what is not a # header or hint. */
  const logLines = (text: string) => text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));

  it("reads a pod's single container, with Flux's JSON lines compacted", async () => {
    const result = await logs({ name: "kustomize-controller-pd652xl4wj-lxn8v", namespace: "flux-system" });
    assert.equal(result.isError, false);
    const [header, first] = result.text.split("\n");
    assert.match(
      header ?? "",
      /^# Pod flux-system\/kustomize-controller-pd652xl4wj-lxn8v in context staging; container manager: \d+ lines$/,
    );
    assert.match(
      first ?? "",
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info Kustomization\/flux-system\/monitoring: /,
    );
    assert.match(
      result.text,
      /^(\d{4}-\d\d-\d\dT)?\d\d:\d\d:\d\d\.\d{3}Z error Kustomization\/flux-system\/monitoring: Reconciliation failed after 1\.406s, next try in 2m0s revision=refs\/heads\/main@sha1:b71e0c4a92d35f68e1c7a0b9d4f26e83c5a17d90 error="health check failed after 1\.21s: failed early due to stalled resources: \[HelmRelease\/monitoring\/kube-prometheus-stack status: 'Failed'\]"$/m,
    );
    assert.doesNotMatch(result.text, /reconcileID|controllerGroup|"level"/);
  });

  it("resolves a Deployment to its pod", async () => {
    const result = await logs({ kind: "Deployment", name: "kustomize-controller", namespace: "flux-system" });
    assert.equal(result.isError, false);
    assert.match(
      result.text,
      /^# Deployment flux-system\/kustomize-controller in context staging: 1 pod; pod kustomize-controller-pd652xl4wj-lxn8v, container manager: \d+ lines\n/,
    );
  });

  it("reads every pod of a Deployment, newest first, with the crash-looping one's state and a hint", async () => {
    const result = await logs({ kind: "Deployment", name: "cart", namespace: "frontend" });
    assert.equal(result.isError, false);
    const lines = result.text.split("\n");
    assert.equal(lines[0], "# Deployment frontend/cart in context staging: 2 pods, newest first");
    assert.equal(
      lines[1],
      "## pod cart-qchb76nwf7-hmt8b, container cart [waiting CrashLoopBackOff, 9 restarts, last exit Error code 1]: 4 lines",
    );
    assert.match(
      result.text,
      /fatal invalid configuration error="redis\.url: required environment variable CART_REDIS_URL is not set"/,
    );
    assert.ok(
      lines.includes(
        "# cart restarted 9 times: previous: true shows the log of the instance before the last restart",
      ),
    );
    assert.ok(lines.includes("## pod cart-vj26nw6qx-mjphf, container cart: 10 lines"));
    assert.ok(lines.indexOf("## pod cart-vj26nw6qx-mjphf, container cart: 10 lines") > 3);
  });

  it("finds a workload's pods by its selector when their owner references do not line up", async () => {
    const result = await logs({ kind: "Deployment", name: "orphan", namespace: "jobs" }, lab);
    assert.equal(result.isError, false, result.text);
    assert.match(
      result.text,
      /^# Deployment jobs\/orphan in context lab: 1 pod; pod orphan-5d8f9-qq2lx, container app/,
    );
    assert.match(result.text, /DATABASE_URL is not set/);
  });

  it("offers previous only when the kubelet has the previous log, and never contradicts itself", async () => {
    // Restarted 11 times, but no terminated instance on record: no hint, and previous says why.
    const crashing = await logs({ name: "orphan-5d8f9-qq2lx", namespace: "jobs" }, lab);
    assert.equal(crashing.isError, false, crashing.text);
    assert.doesNotMatch(crashing.text, /previous: true/);
    const previous = await logs({ name: "orphan-5d8f9-qq2lx", namespace: "jobs", previous: true }, lab);
    assert.equal(previous.isError, true);
    assert.match(previous.text, /has no previous instance log: the kubelet no longer has it \(11 restarts;/);
    // A terminated instance on record whose log the kubelet no longer has: no hint either.
    const moved = await logs({ name: "moved", namespace: "jobs" }, lab);
    assert.equal(moved.isError, false, moved.text);
    assert.doesNotMatch(moved.text, /previous: true/);
    const movedPrevious = await logs({ name: "moved", namespace: "jobs", previous: true }, lab);
    assert.equal(movedPrevious.isError, true);
    assert.match(movedPrevious.text, /no previous instance log: the kubelet no longer has it \(3 restarts;/);
    // Where the hint is given (cart, above), the call it names works: that test reads it.
  });

  it("reads the previous instance of a crashed container", async () => {
    const result = await logs({ name: "cart-qchb76nwf7-hmt8b", namespace: "frontend", previous: true });
    assert.equal(result.isError, false);
    assert.match(
      result.text,
      /^# Pod frontend\/cart-qchb76nwf7-hmt8b in context staging \(previous instances\); container cart \[waiting CrashLoopBackOff, 9 restarts, last exit Error code 1\]: 4 lines\n/,
    );
    assert.match(result.text, /fatal invalid configuration/);
    assert.doesNotMatch(result.text, /previous: true shows/);
  });

  it("says when a container has no previous instance", async () => {
    const result = await logs({
      name: "kustomize-controller-pd652xl4wj-lxn8v",
      namespace: "flux-system",
      previous: true,
    });
    assert.deepEqual(result, {
      isError: true,
      text: "container manager of pod flux-system/kustomize-controller-pd652xl4wj-lxn8v has no previous instance (0 restarts) in context staging",
    });
    const workload = await logs({
      kind: "Deployment",
      name: "podinfo",
      namespace: "frontend",
      previous: true,
    });
    assert.deepEqual(workload, {
      isError: true,
      text: "no container of Deployment frontend/podinfo has a previous instance in context staging: none restarted",
    });
  });

  it("keeps only lines newer than since", async () => {
    const all = await logs({ name: "cart-vj26nw6qx-mjphf", namespace: "frontend" });
    assert.equal(logLines(all.text).length, 10);
    const recent = await logs({ name: "cart-vj26nw6qx-mjphf", namespace: "frontend", since: "1h" });
    assert.match(
      recent.text,
      /^# Pod frontend\/cart-vj26nw6qx-mjphf in context staging \(since 1h\); container cart: 5 lines\n/,
    );
    assert.doesNotMatch(recent.text, /starting cart service/);
    assert.match(recent.text, /warn redis connection reset, reconnecting error="read tcp/);
    const none = await logs({ name: "cart-vj26nw6qx-mjphf", namespace: "frontend", since: "1s" });
    assert.match(none.text, /container cart: no lines\n$/);
  });

  it("keeps only the newest lines up to limit, and says older ones exist", async () => {
    const result = await logs({ name: "cart-vj26nw6qx-mjphf", namespace: "frontend", limit: 3 });
    assert.match(result.text, /container cart: last 3 lines, older ones not shown\n/);
    assert.deepEqual(
      logLines(result.text).map((line) => line.replace(/^\S+ /, "")),
      [
        "info session sweep finished expired=41 active=1873 duration=38ms",
        "info session sweep finished expired=37 active=1902 duration=35ms",
        "info session sweep finished expired=29 active=1931 duration=41ms",
      ],
    );
    const exact = await logs({ name: "cart-vj26nw6qx-mjphf", namespace: "frontend", limit: 10 });
    assert.match(exact.text, /container cart: 10 lines\n/);
  });

  it("greps case-insensitively, keeping continuation lines, newest matches up to limit", async () => {
    const result = await logs({
      name: "kustomize-controller-pd652xl4wj-lxn8v",
      namespace: "flux-system",
      grep: "MONITORING-configs",
    });
    assert.match(result.text, /\(grep "MONITORING-configs"\); container manager: \d+ matching entr(y|ies)\n/);
    const lines = logLines(result.text);
    assert.ok(lines.length > 0);
    for (const line of lines) assert.match(line, /monitoring-configs/);

    const panic = await logs(
      { name: "worker", namespace: "jobs", container: "migrate", grep: "^panic" },
      lab,
    );
    assert.match(
      panic.text,
      /container migrate \[terminated Error code 3, 2 restarts, last exit Error code 3\]: 1 matching entry\n/,
    );
    assert.deepEqual(logLines(panic.text), [
      'panic: relation "orders" does not exist',
      "\tgoroutine 1 [running]:",
      "\tmain.migrate(0x7)",
    ]);

    const newest = await logs({
      name: "cart-vj26nw6qx-mjphf",
      namespace: "frontend",
      grep: "sweep",
      limit: 1,
    });
    assert.match(newest.text, /3 matching entries, last 1 shown\n/);
    assert.match(newest.text, /expired=29/);

    const nothing = await logs({ name: "cart-vj26nw6qx-mjphf", namespace: "frontend", grep: "no such text" });
    assert.match(nothing.text, /container cart: no line matches\n$/);
  });

  it("refuses an invalid grep pattern", async () => {
    const result = await logs({ name: "cart-vj26nw6qx-mjphf", namespace: "frontend", grep: "(unclosed" });
    assert.equal(result.isError, true);
    assert.match(result.text, /^invalid grep pattern: .*unclosed/);
  });

  it("runs a backtracking pattern in linear time, and refuses an overlong one", async () => {
    const nested = await logs({ name: "cart-vj26nw6qx-mjphf", namespace: "frontend", grep: "(\\w+)+!" });
    assert.equal(nested.isError, false, nested.text);
    const long = await logs({ name: "cart-vj26nw6qx-mjphf", namespace: "frontend", grep: "a".repeat(600) });
    assert.equal(long.isError, true);
    assert.match(long.text, /^grep pattern too long \(600 characters, at most 512\)$/);
  });

  it("reads all containers, and failed init containers, or the one asked for", async () => {
    const all = await logs({ name: "worker", namespace: "jobs" }, lab);
    assert.equal(all.isError, false);
    const headers = all.text.split("\n").filter((line) => line.startsWith("## "));
    assert.deepEqual(headers, [
      "## container migrate [terminated Error code 3, 2 restarts, last exit Error code 3]: 6 lines",
      "## container app [waiting PodInitializing]: no lines",
      "## container proxy [waiting PodInitializing]: 1 line",
    ]);
    assert.match(all.text, /^x{2000}… \[500 more characters\]$/m);

    const one = await logs({ name: "worker", namespace: "jobs", container: "proxy" }, lab);
    assert.equal(
      one.text,
      "# Pod jobs/worker in context lab; container proxy [waiting PodInitializing]: 1 line\nproxy waiting for app\n",
    );
  });

  it("names the containers when the one asked for does not exist", async () => {
    const result = await logs({ name: "worker", namespace: "jobs", container: "web" }, lab);
    assert.deepEqual(result, {
      isError: true,
      text: "container web not found in pod jobs/worker in context lab; its containers: migrate, fetch, app, proxy",
    });
  });

  it("resolves a CronJob through its Jobs to their pods, not to pods that only match a selector", async () => {
    const result = await logs({ kind: "CronJob", name: "backup", namespace: "jobs" }, lab);
    assert.equal(
      result.text,
      "# CronJob jobs/backup in context lab: 1 pod; pod backup-29000000-x7k2p, container backup: 2 lines\nstarting backup\nuploaded 3 files\n",
    );
    const job = await logs({ kind: "Job", name: "backup-29000000", namespace: "jobs" }, lab);
    assert.doesNotMatch(job.text, /impostor|not the job's pod/);
    assert.match(job.text, /pod backup-29000000-x7k2p/);
  });

  it("reads a StatefulSet's and a DaemonSet's pods", async () => {
    const sts = await logs({
      kind: "StatefulSet",
      name: "prometheus-kube-prometheus-stack-prometheus",
      namespace: "monitoring",
    });
    assert.equal(sts.isError, false);
    assert.match(sts.text, /: 1 pod\n## pod prometheus-kube-prometheus-stack-prometheus-0, container /);
    const ds = await logs({ kind: "DaemonSet", name: "kube-proxy", namespace: "kube-system" });
    assert.match(ds.text, /^# DaemonSet kube-system\/kube-proxy in context staging: 3 pods, newest first\n/);
    assert.equal(ds.text.split("\n").filter((line) => line.startsWith("## pod kube-proxy-")).length, 3);
  });

  it("reads the newest pods of a big workload and names the others", async () => {
    const result = await logs({ kind: "ReplicaSet", name: "fleet", namespace: "jobs" }, lab);
    const lines = result.text.split("\n");
    assert.equal(
      lines[0],
      "# ReplicaSet jobs/fleet in context lab: 7 pods, the newest 5 shown; others: fleet-1, fleet-0",
    );
    assert.deepEqual(
      lines.filter((line) => line.startsWith("## ")),
      [6, 5, 4, 3, 2].map((index) => `## pod fleet-${index}, container w: no lines`),
    );
  });

  it("says which object is missing, in which context", async () => {
    const pod = await logs({ name: "cart", namespace: "frontend" });
    assert.equal(pod.isError, true);
    assert.match(pod.text, /cart/);
    assert.match(pod.text, /context staging/);
    assert.match(pod.text, /give its kind too \(e\.g\. kind Deployment\)$/);
    assert.doesNotMatch(pod.text, /\n/);

    const deployment = await logs({ kind: "Deployment", name: "nope", namespace: "frontend" });
    assert.equal(deployment.isError, true);
    assert.match(deployment.text, /nope/);
    assert.doesNotMatch(deployment.text, /give its kind/);
  });

  it("says when a workload has no pods", async () => {
    const applied = await api.kubectl(
      ["--context", "lab", "apply", "-f", "-"],
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: idle, namespace: jobs}
spec:
  replicas: 0
  selector: {matchLabels: {app: idle}}
  template:
    metadata: {labels: {app: idle}}
    spec: {containers: [{name: idle, image: busybox}]}
`,
    );
    assert.equal(applied.code, 0, applied.stderr);
    const result = await logs({ kind: "Deployment", name: "idle", namespace: "jobs" }, lab);
    assert.deepEqual(result, { isError: true, text: "Deployment jobs/idle has no pods in context lab" });
  });

  it("accepts the reference's older parameter names", async () => {
    const result = await logs({ pod_name: "worker", pod_namespace: "jobs", container_name: "proxy" }, lab);
    assert.match(result.text, /^# Pod jobs\/worker in context lab; container proxy/);
    const same = await logs(
      { name: "worker", pod_name: "worker", namespace: "jobs", container: "proxy" },
      lab,
    );
    assert.equal(same.isError, false);
    const conflicting = await logs({ name: "worker", pod_name: "other", namespace: "jobs" }, lab);
    assert.deepEqual(conflicting, {
      isError: true,
      text: 'name "worker" and pod_name "other" disagree: give only name',
    });
    const missing = await logs({ namespace: "jobs" }, lab);
    assert.equal(missing.isError, true);
    assert.match(missing.text, /^name is required/);
  });

  it("declares a read-only tool with described, bounded parameters", () => {
    assert.equal(getKubernetesLogs.writes, false);
    assert.equal(getKubernetesLogs.usesCluster, true);
    assert.equal(getKubernetesLogs.annotations.readOnlyHint, true);
    for (const [name, schema] of Object.entries(getKubernetesLogs.input)) {
      assert.ok(schema.description, `${name} is described`);
    }
    assert.ok(GREP_SCAN_LINES >= 1000);
  });
});
