// analyze_flux_resource through the built server and the official MCP client, on the demo fleet's
// planted faults: the cause named, the chain ranked, the evidence there, the budget kept.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { countTokens } from "gpt-tokenizer";
import { parse } from "yaml";
import { CHAIN_BUDGET_TOKENS } from "../../src/tools/analysis/analyze-flux-resource.ts";
import { connectStdio, serverEnvironment, textOf, type StdioConnection } from "../helpers/mcp-clients.ts";

interface Entry {
  object: string;
  status: string;
  message?: string;
  because?: string;
  helmHistory?: string[];
  upstream?: string[];
  leadsTo?: string[];
  pods?: {
    pod: string;
    containers: { container: string; state: string; log?: string[]; previousLog?: string[] }[];
  }[];
  fullLog?: string;
}
interface Answer {
  context: string;
  analyzed: string;
  conclusion: string;
  causes?: (Entry | string)[];
  consequences?: Entry[];
  checked?: string[] | string;
}

const DEMO_ENV = serverEnvironment({ KUBECONFIG: "/nonexistent" });

async function analyze(connection: StdioConnection, args: Record<string, unknown>) {
  const result = await connection.client.callTool({ name: "analyze_flux_resource", arguments: args });
  return { text: textOf(result), isError: (result as { isError?: boolean }).isError === true };
}

function answerOf(result: { text: string; isError: boolean }): Answer {
  assert.equal(result.isError, false, result.text);
  return parse(result.text) as Answer;
}

function entry(value: Entry | string | undefined): Entry {
  assert.ok(
    value !== undefined && typeof value === "object",
    `an entry with evidence: ${JSON.stringify(value)}`,
  );
  return value;
}

describe("analyze_flux_resource on the demo fleet", { timeout: 120_000 }, () => {
  let server: StdioConnection;
  before(async () => {
    server = await connectStdio(["--demo"], "2025-11-25", DEMO_ENV);
  });
  after(async () => server?.client.close());

  it("names the stalled HelmRelease as the cause of a blocked Kustomization, two links away", async () => {
    const result = await analyze(server, {
      context: "staging",
      kind: "Kustomization",
      name: "monitoring-configs",
      namespace: "flux-system",
    });
    const answer = answerOf(result);
    assert.equal(answer.analyzed, "Kustomization flux-system/monitoring-configs");
    assert.match(
      answer.conclusion,
      /^Cause: HelmRelease monitoring\/kube-prometheus-stack, stalled \(RetriesExceeded\)/,
    );
    const [cause, ...otherCauses] = answer.causes ?? [];
    assert.equal(otherCauses.length, 0);
    const release = entry(cause);
    assert.equal(release.object, "HelmRelease monitoring/kube-prometheus-stack");
    assert.match(release.message ?? "", /UpgradeFailed: .*spec\.selector: .*field is immutable/);
    assert.match(release.helmHistory?.[0] ?? "", /^v8 deployed \(rollback\) chart 75\.15\.1/);
    assert.match(release.helmHistory?.[1] ?? "", /^v7 failed \(upgrade\) chart 77\.0\.0/);
    assert.ok(
      release.upstream?.some((line) =>
        /^source HelmChart flux-system\/monitoring-kube-prometheus-stack: ready/.test(line),
      ),
      `the chart is checked: ${JSON.stringify(release.upstream)}`,
    );
    assert.deepEqual(release.leadsTo, [
      "Kustomization flux-system/monitoring",
      "Kustomization flux-system/monitoring-configs",
    ]);

    const [monitoring, configs, ...more] = answer.consequences ?? [];
    assert.equal(more.length, 0);
    assert.equal(monitoring?.object, "Kustomization flux-system/monitoring");
    assert.match(monitoring?.status ?? "", /^failing \(HealthCheckFailed\)/);
    assert.match(
      monitoring?.because ?? "",
      /health check waits on HelmRelease monitoring\/kube-prometheus-stack/,
    );
    assert.equal(configs?.object, "Kustomization flux-system/monitoring-configs");
    assert.match(configs?.status ?? "", /^blocked \(DependencyNotReady\)/);
    assert.match(configs?.because ?? "", /dependency Kustomization flux-system\/monitoring \(dependsOn\)/);
    assert.ok(countTokens(result.text) <= CHAIN_BUDGET_TOKENS, `${countTokens(result.text)} tokens`);
  });

  it("names a build failure as its own cause, with the Git source found fine", async () => {
    const answer = answerOf(
      await analyze(server, {
        context: "staging",
        kind: "Kustomization",
        name: "apps",
        namespace: "flux-system",
      }),
    );
    const apps = entry(answer.causes?.[0]);
    assert.equal(apps.object, "Kustomization flux-system/apps");
    assert.match(apps.status, /^failing \(BuildFailed\)/);
    assert.match(apps.message ?? "", /podinfo-values\.yaml: no such file or directory/);
    assert.ok(
      apps.upstream?.some((line) =>
        /^source GitRepository flux-system\/flux-system: ready .*serves refs\/heads\/main@sha1:3f9c2d7e/.test(
          line,
        ),
      ),
      JSON.stringify(apps.upstream),
    );
    assert.equal(answer.consequences, undefined);
  });

  it("finds every failure of a context, ranked, with the crash-looping pod's log and a log call that works", async () => {
    const result = await analyze(server, { context: "staging" });
    const answer = answerOf(result);
    const causes = (answer.causes ?? []).map(entry);
    assert.deepEqual(
      causes.map((cause) => cause.object),
      [
        "HelmRelease monitoring/kube-prometheus-stack",
        "Kustomization flux-system/apps",
        "Deployment frontend/cart",
      ],
    );
    assert.match(
      answer.conclusion,
      /^3 independent causes\. Cause 1: HelmRelease monitoring\/kube-prometheus-stack/,
    );
    const cart = causes[2] as Entry;
    const container = cart.pods?.[0]?.containers[0];
    assert.equal(container?.state, "waiting CrashLoopBackOff");
    assert.match(container?.log?.at(-1) ?? "", /required environment variable CART_REDIS_URL is not set/);
    assert.match(
      container?.previousLog?.at(-1) ?? "",
      /required environment variable CART_REDIS_URL is not set/,
    );
    assert.deepEqual(
      (answer.consequences ?? []).map((consequence) => consequence.object),
      ["Kustomization flux-system/monitoring", "Kustomization flux-system/monitoring-configs"],
    );
    assert.ok(countTokens(result.text) <= CHAIN_BUDGET_TOKENS, `${countTokens(result.text)} tokens`);

    // The full log is one call away, and that call succeeds.
    const call = /^get_kubernetes_logs (\{.*\})$/.exec(cart.fullLog ?? "");
    assert.ok(call?.[1], `a log call: ${cart.fullLog}`);
    const logs = await server.client.callTool({
      name: "get_kubernetes_logs",
      arguments: { context: "staging", ...(JSON.parse(call[1]) as Record<string, unknown>) },
    });
    assert.notEqual((logs as { isError?: boolean }).isError, true, textOf(logs));
    assert.match(textOf(logs), /CART_REDIS_URL is not set/);
  });

  it("says plainly when nothing is failing", async () => {
    const answer = answerOf(await analyze(server, { context: "production" }));
    assert.match(answer.conclusion, /^Nothing is failing/);
    assert.equal(answer.causes, undefined);
  });

  it("answers a healthy object with the links it checked, the image policy's latest beside what runs", async () => {
    const answer = answerOf(
      await analyze(server, {
        context: "staging",
        kind: "HelmRelease",
        name: "podinfo",
        namespace: "frontend",
      }),
    );
    assert.match(answer.conclusion, /^Nothing is broken: the \d+ links read/);
    assert.ok(
      Array.isArray(answer.checked) &&
        answer.checked.some((line) => line.startsWith("OCIRepository frontend/podinfo: ready")),
    );
    assert.ok(
      Array.isArray(answer.checked) &&
        answer.checked.includes(
          "Deployment frontend/podinfo: ready (2 pods); podinfo runs ghcr.io/stefanprodan/podinfo:6.9.2; ImagePolicy flux-system/podinfo chose 6.9.2 (up to date)",
        ),
      JSON.stringify(answer.checked),
    );
  });

  it("refuses bad input in one line", async () => {
    for (const [args, expected] of [
      [{ name: "apps" }, /^kind is required with name/],
      [{ kind: "Kustomization" }, /^name is required with kind/],
      [
        { kind: "Kustomization", name: "nope", namespace: "flux-system" },
        /^Kustomization flux-system\/nope not found in context staging$/,
      ],
      [
        { kind: "HelmRelease", name: "podinfo" },
        /several namespaces \(frontend, podinfo-pr-142\): give namespace$/,
      ],
      [{ kind: "Kustomization", name: "x".repeat(254) }, /name/],
    ] as const) {
      const result = await analyze(server, { context: "staging", ...args });
      assert.equal(result.isError, true, result.text);
      assert.match(result.text, expected);
      assert.doesNotMatch(result.text, /\n./);
    }
  });
});

describe("analyze_flux_resource within a smaller response limit", { timeout: 120_000 }, () => {
  let server: StdioConnection;
  before(async () => {
    server = await connectStdio(["--demo", "--response-limit", "4000"], "2025-11-25", DEMO_ENV);
  });
  after(async () => server?.client.close());

  it("gives up detail, never the causes", async () => {
    const result = await analyze(server, { context: "staging" });
    const answer = answerOf(result);
    assert.ok(countTokens(result.text) <= 1000, `${countTokens(result.text)} tokens`);
    assert.match(answer.conclusion, /Cause 1: HelmRelease monitoring\/kube-prometheus-stack/);
    assert.match(answer.conclusion, /Kustomization flux-system\/apps/);
    assert.match(answer.conclusion, /Deployment frontend\/cart/);
  });
});
