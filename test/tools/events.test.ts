import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { encode } from "gpt-tokenizer";
import type { ToolResult } from "../../src/tools/tool.ts";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectTools, type ToolSession } from "../helpers/tool-session.ts";

function lines(result: ToolResult): { header: string; events: string[] } {
  assert.notEqual(result.isError, true, result.text);
  const [header = "", ...events] = result.text.trimEnd().split("\n");
  return { header, events };
}

describe("get_kubernetes_events on the demo fleet", () => {
  let api: TestApiServer;
  let staging: ToolSession;
  const events = (args: Record<string, unknown>, ctx = staging) => ctx.call("get_kubernetes_events", args);

  before(async () => {
    api = await startTestApiServer({ simulation: false });
    staging = await connectTools(api, { context: "staging" });
  });
  after(() => api?.close());

  it("gives the whole timeline, one line per event, newest last, with totals", async () => {
    const { header, events: timeline } = lines(await events({}));
    assert.equal(header, "# context staging: 35 events (4 Warning), newest last");
    assert.equal(timeline.length, 35);
    assert.match(
      timeline[0] ?? "",
      /^\d+m Normal NewArtifact HelmRepository\/flux-system\/prometheus-community: /,
    );
    assert.match(
      timeline.at(-1) ?? "",
      /^\d+s Normal DependencyNotReady Kustomization\/flux-system\/monitoring-configs: .* \(x441\)$/,
    );
  });

  it("keeps the newest events within limit and says how many older ones were left out", async () => {
    const { header, events: timeline } = lines(await events({ limit: 5 }));
    assert.match(
      header,
      /^# context staging: 35 events .*; 30 older not shown: narrow with since, type or grep, or raise limit$/,
    );
    assert.equal(timeline.length, 5);
    assert.match(timeline.at(-1) ?? "", /DependencyNotReady/);
  });

  it("names the namespace it is narrowed to, and each line's object", async () => {
    const { header, events: timeline } = lines(await events({ namespace: "flux-system" }));
    assert.match(header, /^# namespace flux-system in staging: \d+ events \(2 Warning\), newest last$/);
    assert.ok(timeline.length > 1);
    assert.ok(
      timeline.every((line) => / [A-Za-z]+\/flux-system\/[^ ]+: /.test(line)),
      timeline.join("\n"),
    );
  });

  it("narrows to one object and then leaves the object out of each line", async () => {
    const result = await events({
      apiVersion: "helm.toolkit.fluxcd.io/v2",
      kind: "HelmRelease",
      name: "kube-prometheus-stack",
      namespace: "monitoring",
    });
    const { header, events: timeline } = lines(result);
    assert.equal(
      header,
      "# HelmRelease/monitoring/kube-prometheus-stack in staging: 3 events (1 Warning), newest last",
    );
    assert.deepEqual(
      timeline.map((line) => line.replace(/^\d+m /, "")),
      [
        "Normal RollbackSucceeded: Helm rollback to previous release monitoring/kube-prometheus-stack.v6 with chart kube-prometheus-stack@75.15.1 succeeded",
        `Warning UpgradeFailed: ${timeline[1]?.split("UpgradeFailed: ")[1]}`,
        "Normal RollbackSucceeded: Helm rollback to previous release monitoring/kube-prometheus-stack.v8 with chart kube-prometheus-stack@75.15.1 succeeded",
      ],
    );
    assert.match(timeline[1] ?? "", /field is immutable \(x2\)$/);
  });

  it("filters by type, age and pattern", async () => {
    const warnings = lines(await events({ type: "Warning" }));
    assert.deepEqual(
      warnings.events.map((line) => line.split(" ").slice(1, 4).join(" ")),
      [
        "Warning UpgradeFailed HelmRelease/monitoring/kube-prometheus-stack:",
        "Warning BuildFailed Kustomization/flux-system/apps:",
        "Warning HealthCheckFailed Kustomization/flux-system/monitoring:",
        "Warning BackOff Pod/frontend/cart-qchb76nwf7-hmt8b:",
      ],
    );
    assert.equal(warnings.header, "# context staging: 4 events with type Warning, newest last");

    const recent = lines(await events({ since: "15m" }));
    assert.equal(recent.events.length, 9, recent.events.join("\n"));

    const immutable = lines(await events({ grep: "IMMUTABLE" }));
    assert.equal(immutable.events.length, 1);
    assert.match(
      immutable.header,
      /^# HelmRelease\/monitoring\/kube-prometheus-stack in staging: 1 event with grep "IMMUTABLE"$/,
    );

    const byObjectName = lines(await events({ grep: "ingress-nginx/ingress-nginx$", type: "Normal" }));
    assert.equal(byObjectName.events.length, 1, "grep also sees Kind/namespace/name");
    assert.match(byObjectName.header, /^# HelmRelease\/ingress-nginx\/ingress-nginx in staging: /);
    assert.match(byObjectName.events[0] ?? "", /Normal UpgradeSucceeded: /);
  });

  it("says plainly when no event matches", async () => {
    const result = await events({
      kind: "HelmRelease",
      name: "podinfo",
      namespace: "frontend",
      type: "Warning",
    });
    assert.notEqual(result.isError, true);
    assert.equal(
      result.text,
      "No events found for HelmRelease podinfo in namespace frontend of context staging with type Warning (Kubernetes keeps events for about an hour)",
    );
  });

  it("keeps the Warning timeline of a cluster within its token budget", async () => {
    const result = await events({ type: "Warning" });
    const used = encode(result.text).length;
    assert.ok(used <= 450, `${used} tokens, over the budget of 450`);
  });

  it("refuses arguments it cannot use", async () => {
    for (const [args, message] of [
      [{ since: "yesterday" }, /since: expected a positive duration/],
      [{ since: "-5m" }, /since: expected a positive duration/],
      [{ grep: "(" }, /invalid grep pattern/],
      [{ apiVersion: "v1" }, /give kind as well/],
    ] as const) {
      const result = await events(args);
      assert.equal(result.isError, true);
      assert.match(result.text, message);
    }
    const unknown = await events({ kind: "Gizmo" });
    assert.equal(unknown.isError, true);
    assert.match(unknown.text, /Gizmo/);
  });

  it("reports a forbidden list as an error naming the identity", async () => {
    const stranger = await connectTools(api, { context: "staging", impersonate: { user: "stranger" } });
    const result = await events({ namespace: "flux-system" }, stranger);
    assert.equal(result.isError, true, result.text);
    assert.match(result.text, /forbidden/i);
    assert.match(result.text, /stranger/);
  });
});
