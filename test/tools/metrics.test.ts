import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import type { ToolResult } from "../../src/tools/tool.ts";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectTools, type ToolSession } from "../helpers/tool-session.ts";

// What `kubectl top pods -n flux-system` shows for the demo's staging cluster.
const FLUX_SYSTEM_ROWS = [
  { pod: "flux-operator-lkk56dlvkq-qjdln", cpu: "4m", memory: "67Mi" },
  { pod: "helm-controller-54v5zhgth6-2qck4", cpu: "9m", memory: "143Mi" },
  { pod: "image-automation-controller-clqdhfbn5j-8mc62", cpu: "1m", memory: "39Mi" },
  { pod: "image-reflector-controller-tlvm5l8jp8-r8wws", cpu: "3m", memory: "44Mi" },
  { pod: "kustomize-controller-pd652xl4wj-lxn8v", cpu: "14m", memory: "112Mi" },
  { pod: "notification-controller-hzs2tbfqtn-rvksq", cpu: "2m", memory: "31Mi" },
  { pod: "source-controller-8wjkgnjs5t-vqk44", cpu: "6m", memory: "58Mi" },
];

/** The answer's header line, its column headings, and its rows keyed by heading. */
function table(result: ToolResult): { header: string; headings: string[]; rows: Record<string, string>[] } {
  assert.notEqual(result.isError, true, result.text);
  assert.ok(result.text.endsWith("\n"));
  const [header = "", headingRow = "", ...lines] = result.text.trimEnd().split("\n");
  const headings = headingRow.split("\t");
  const keys = headings.map((heading) => heading.toLowerCase());
  const rows = lines.map((line) => {
    const cells = line.split("\t");
    assert.equal(cells.length, keys.length, `one cell per column: ${JSON.stringify(line)}`);
    return Object.fromEntries(keys.map((key, index) => [key, cells[index] ?? ""]));
  });
  return { header, headings, rows };
}

describe("get_kubernetes_metrics", () => {
  let api: TestApiServer;
  let staging: ToolSession;

  before(async () => {
    api = await startTestApiServer();
    staging = await connectTools(api, { context: "staging" });
  });
  afterEach(() => api.server.faults.clear());
  after(async () => {
    await api.close();
  });

  const metrics = (args: Record<string, unknown>, ctx = staging) => ctx.call("get_kubernetes_metrics", args);

  it("lists a namespace's pods as a table, one row per pod, with totals", async () => {
    const result = await metrics({ namespace: "flux-system" });
    const answer = table(result);
    assert.equal(answer.header, "# namespace flux-system in staging: 7 pods, total CPU 39m, memory 494Mi");
    assert.deepEqual(answer.headings, ["POD", "CPU", "MEMORY"], "no container column: one each");
    assert.deepEqual(answer.rows, FLUX_SYSTEM_ROWS);
    assert.match(result.text, /^kustomize-controller-pd652xl4wj-lxn8v\t14m\t112Mi$/m);
    const tokens = encode(result.text).length;
    assert.ok(tokens <= 190, `${tokens} tokens:\n${result.text}`);
  });

  it("matches what kubectl top reports", async () => {
    const top = await api.kubectl([
      "--context",
      "staging",
      "top",
      "pods",
      "-n",
      "flux-system",
      "--no-headers",
    ]);
    assert.equal(top.code, 0, top.stderr);
    const fromKubectl = top.stdout
      .trim()
      .split("\n")
      .map((line) => {
        const [pod, cpu, memory] = line.trim().split(/\s+/);
        return { pod, cpu, memory };
      });
    assert.deepEqual(table(await metrics({ namespace: "flux-system" })).rows, fromKubectl);
  });

  it("narrows by label selector and by pod name, under the new and the older parameter names", async () => {
    const kustomize = FLUX_SYSTEM_ROWS.filter((row) => row.pod.startsWith("kustomize-controller"));
    for (const args of [
      { namespace: "flux-system", selector: "app=kustomize-controller" },
      { pod_namespace: "flux-system", pod_selector: "app=kustomize-controller" },
      { namespace: "flux-system", name: "kustomize-controller-pd652xl4wj-lxn8v" },
      { pod_namespace: "flux-system", pod_name: "kustomize-controller-pd652xl4wj-lxn8v" },
    ]) {
      const answer = table(await metrics(args));
      assert.deepEqual(answer.rows, kustomize, JSON.stringify(args));
      assert.equal(
        answer.header,
        "# namespace flux-system in staging: 1 pod, total CPU 14m, memory 112Mi",
        JSON.stringify(args),
      );
    }
  });

  it("shows a row per container when a pod has several, and a namespace column across all namespaces", async () => {
    const monitoring = table(await metrics({ namespace: "monitoring" }));
    assert.deepEqual(monitoring.headings, ["POD", "CONTAINER", "CPU", "MEMORY"]);
    const grafana = monitoring.rows.filter((row) => row.pod?.includes("grafana"));
    assert.deepEqual(
      grafana.map((row) => row.container),
      ["grafana-sc-dashboard", "grafana"],
    );
    assert.ok(
      monitoring.rows.some((row) => row.container === "kube-state-metrics"),
      "single-container pods name their container too",
    );

    const all = table(await metrics({}));
    assert.match(all.header, /^# context staging: (\d+) pods, total CPU \d+m, memory \d+Mi$/);
    assert.ok(Number(/(\d+) pods/.exec(all.header)?.[1]) > 7);
    assert.deepEqual(all.headings, ["NAMESPACE", "POD", "CONTAINER", "CPU", "MEMORY"]);
    assert.ok(
      all.rows.some(
        (row) =>
          row.namespace === "flux-system" &&
          row.pod === "kustomize-controller-pd652xl4wj-lxn8v" &&
          row.container === "manager" &&
          row.cpu === "14m" &&
          row.memory === "112Mi",
      ),
    );
  });

  it("lists up to limit pods, still totalling all of them", async () => {
    const answer = table(await metrics({ namespace: "flux-system", limit: 2 }));
    assert.deepEqual(answer.rows, FLUX_SYSTEM_ROWS.slice(0, 2));
    assert.equal(
      answer.header,
      "# namespace flux-system in staging: 7 pods, total CPU 39m, memory 494Mi; 5 pods not listed: narrow with name or selector, or raise limit",
    );
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
    const nobody = await connectTools(api, { context: "staging", impersonate: { user: "nobody" } });
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

  it("never lets a name or namespace change the path it asks for", async () => {
    const mark = api.server.requestLog.mark();
    const traversal = await metrics({ namespace: "flux-system", name: "../../../../api/v1/secrets" });
    assert.equal(traversal.isError, true);
    assert.match(traversal.text, /^invalid path segment "\.\.\/\.\.\/.*cannot contain \/ or %/);
    const query = await metrics({ namespace: "flux-system", name: "x?labelSelector=app" });
    assert.equal(query.isError, true);
    assert.match(query.text, /^no metrics for pod flux-system\/x\?labelSelector=app/);
    const surrogate = await metrics({ namespace: "flux-system\ud800" });
    assert.match(
      surrogate.text,
      /^invalid path segment "flux-system\\ud800": it contains a lone UTF-16 surrogate/,
    );
    const paths = api.server.requestLog.entries({ since: mark }).map((entry) => entry.path);
    assert.ok(
      paths.every((path) => path.startsWith("/clusters/staging/apis/metrics.k8s.io/v1beta1")),
      paths.join("\n"),
    );
    assert.ok(!paths.some((path) => path.includes("secrets")), paths.join("\n"));
  });
});
