import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { parse } from "yaml";
import { getKubernetesMetrics } from "../../src/tools/reporting/get-kubernetes-metrics.ts";
import type { ToolContext } from "../../src/tools/tool.ts";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { callTool, testToolContext } from "../helpers/tools.ts";

// What `kubectl top pods -n flux-system --containers` shows for the demo's staging cluster.
const FLUX_SYSTEM_ROWS = [
  { pod: "flux-operator-lkk56dlvkq-qjdln", container: "manager", cpu: "4m", memory: "67Mi" },
  { pod: "helm-controller-54v5zhgth6-2qck4", container: "manager", cpu: "9m", memory: "143Mi" },
  { pod: "image-automation-controller-clqdhfbn5j-8mc62", container: "manager", cpu: "1m", memory: "39Mi" },
  { pod: "image-reflector-controller-tlvm5l8jp8-r8wws", container: "manager", cpu: "3m", memory: "44Mi" },
  { pod: "kustomize-controller-pd652xl4wj-lxn8v", container: "manager", cpu: "14m", memory: "112Mi" },
  { pod: "notification-controller-hzs2tbfqtn-rvksq", container: "manager", cpu: "2m", memory: "31Mi" },
  { pod: "source-controller-8wjkgnjs5t-vqk44", container: "manager", cpu: "6m", memory: "58Mi" },
];

describe("get_kubernetes_metrics", () => {
  let api: TestApiServer;
  let staging: ToolContext;

  before(async () => {
    api = await startTestApiServer();
    staging = testToolContext(api, { context: "staging" });
  });
  afterEach(() => api.server.faults.clear());
  after(async () => {
    await api.close();
  });

  const metrics = (args: Record<string, unknown>, ctx = staging) => callTool(getKubernetesMetrics, args, ctx);

  it("lists a namespace's pods, one row per container, with totals", async () => {
    const result = await metrics({ namespace: "flux-system" });
    assert.equal(result.isError, undefined);
    assert.deepEqual(parse(result.text), {
      context: "staging",
      namespace: "flux-system",
      pods: 7,
      total: { cpu: "39m", memory: "494Mi" },
      usage: FLUX_SYSTEM_ROWS,
    });
    // Table-like: one flow mapping a row.
    assert.match(
      result.text,
      /^ {2}- \{ pod: kustomize-controller-pd652xl4wj-lxn8v, container: manager, cpu: 14m, memory: 112Mi \}$/m,
    );
  });

  it("matches what kubectl top reports", async () => {
    const top = await api.kubectl([
      "--context",
      "staging",
      "top",
      "pods",
      "-n",
      "flux-system",
      "--containers",
      "--no-headers",
    ]);
    assert.equal(top.code, 0, top.stderr);
    const fromKubectl = top.stdout
      .trim()
      .split("\n")
      .map((line) => {
        const [pod, container, cpu, memory] = line.trim().split(/\s+/);
        return { pod, container, cpu, memory };
      });
    assert.deepEqual(parse((await metrics({ namespace: "flux-system" })).text).usage, fromKubectl);
  });

  it("narrows by label selector and by pod name, under the new and the older parameter names", async () => {
    const kustomize = FLUX_SYSTEM_ROWS.filter((row) => row.pod.startsWith("kustomize-controller"));
    for (const args of [
      { namespace: "flux-system", selector: "app=kustomize-controller" },
      { pod_namespace: "flux-system", pod_selector: "app=kustomize-controller" },
      { namespace: "flux-system", name: "kustomize-controller-pd652xl4wj-lxn8v" },
      { pod_namespace: "flux-system", pod_name: "kustomize-controller-pd652xl4wj-lxn8v" },
    ]) {
      const answer = parse((await metrics(args)).text);
      assert.deepEqual(answer.usage, kustomize, JSON.stringify(args));
      assert.deepEqual(answer.total, { cpu: "14m", memory: "112Mi" });
    }
  });

  it("shows several containers of a pod, and namespace/pod across all namespaces", async () => {
    const monitoring = parse((await metrics({ namespace: "monitoring" })).text);
    const grafana = monitoring.usage.filter((row: { pod: string }) => row.pod.includes("grafana"));
    assert.equal(grafana.length, 2);
    const all = parse((await metrics({})).text);
    assert.equal(all.namespace, undefined);
    assert.ok(all.pods > 7);
    assert.ok(
      all.usage.some(
        (row: { pod: string }) => row.pod === "flux-system/kustomize-controller-pd652xl4wj-lxn8v",
      ),
    );
  });

  it("lists up to limit pods, still totalling all of them", async () => {
    const answer = parse((await metrics({ namespace: "flux-system", limit: 2 })).text);
    assert.deepEqual(answer.usage, FLUX_SYSTEM_ROWS.slice(0, 2));
    assert.equal(answer.pods, 7);
    assert.equal(answer.omitted, "5 pods not listed: narrow with name or selector, or raise limit");
    assert.deepEqual(answer.total, { cpu: "39m", memory: "494Mi" });
  });

  it("says when no pod has metrics", async () => {
    assert.deepEqual(await metrics({ namespace: "default" }), {
      isError: true,
      text: "no pod metrics in namespace default in context staging: no such pods, or metrics-server has not measured them yet",
    });
    assert.deepEqual(await metrics({ namespace: "flux-system", selector: "app=nothing" }), {
      isError: true,
      text: "no pod metrics in namespace flux-system matching app=nothing in context staging: no such pods, or metrics-server has not measured them yet",
    });
    assert.deepEqual(await metrics({ namespace: "flux-system", name: "gone" }), {
      isError: true,
      text: "no metrics for pod flux-system/gone in context staging: the pod does not exist, or metrics-server has not measured it yet",
    });
  });

  it("says when metrics-server is not installed", async () => {
    api.server.faults.add({
      pathPrefix: "/clusters/staging/apis/metrics.k8s.io",
      kind: "error",
      status: 404,
      reason: "NotFound",
      message: "the server could not find the requested resource",
    });
    const expected = {
      isError: true,
      text: "metrics-server is not installed in context staging: the metrics.k8s.io API is not served",
    };
    assert.deepEqual(await metrics({ namespace: "flux-system" }), expected);
    assert.deepEqual(
      await metrics({ namespace: "flux-system", name: "kustomize-controller-pd652xl4wj-lxn8v" }),
      expected,
    );
  });

  it("says when metrics-server does not answer", async () => {
    api.server.faults.add({
      pathPrefix: "/clusters/staging/apis/metrics.k8s.io",
      kind: "error",
      status: 503,
    });
    const result = await metrics({ namespace: "flux-system" });
    assert.equal(result.isError, true);
    assert.match(result.text, /^metrics-server is not answering in context staging/);
    assert.doesNotMatch(result.text, /\n/);
  });

  it("reports a forbidden identity in one line", async () => {
    const nobody = testToolContext(api, { context: "staging", impersonate: { user: "nobody" } });
    const result = await metrics({ namespace: "flux-system" }, nobody);
    assert.equal(result.isError, true);
    assert.match(result.text, /forbidden/i);
    assert.match(result.text, /nobody/);
    assert.doesNotMatch(result.text, /\n/);
  });

  it("needs a namespace with a pod name, and agreeing names", async () => {
    assert.deepEqual(await metrics({ name: "x" }), {
      isError: true,
      text: "namespace is required with the pod name x",
    });
    assert.deepEqual(await metrics({ namespace: "a", pod_namespace: "b" }), {
      isError: true,
      text: 'namespace "a" and pod_namespace "b" disagree: give only namespace',
    });
  });
});
