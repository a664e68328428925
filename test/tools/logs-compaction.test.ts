import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compactLogLines, groupLogEntries, splitLogLines } from "../../src/format/log-lines.ts";

const kustomizeFailure = JSON.stringify({
  level: "error",
  ts: "2026-08-20T09:23:04.509Z",
  msg: "Reconciliation failed after 1.406s, next try in 2m0s",
  controller: "kustomization",
  controllerGroup: "kustomize.toolkit.fluxcd.io",
  controllerKind: "Kustomization",
  Kustomization: { name: "monitoring", namespace: "flux-system" },
  namespace: "flux-system",
  name: "monitoring",
  reconcileID: "a3ce3e0c-feb0-4a6e-afb9-f62010951580",
  revision: "refs/heads/main@sha1:b71e0c4a92d35f68e1c7a0b9d4f26e83c5a17d90",
  error:
    "health check failed after 1.21s: failed early due to stalled resources: [HelmRelease/monitoring/kube-prometheus-stack status: 'Failed']",
});

describe("compactLogLines", () => {
  it("names a controller-runtime object once and keeps the message, revision and error", () => {
    assert.deepEqual(compactLogLines([kustomizeFailure]), [
      "2026-08-20T09:23:04.509Z error Kustomization/flux-system/monitoring: Reconciliation failed after 1.406s, next try in 2m0s " +
        "revision=refs/heads/main@sha1:b71e0c4a92d35f68e1c7a0b9d4f26e83c5a17d90 " +
        `error="health check failed after 1.21s: failed early due to stalled resources: [HelmRelease/monitoring/kube-prometheus-stack status: 'Failed']"`,
    ]);
  });

  it("writes the date on the first line and when it changes, the time of day otherwise", () => {
    const line = (ts: string, msg: string) => JSON.stringify({ level: "info", ts, msg });
    assert.deepEqual(
      compactLogLines([
        line("2026-08-19T23:59:58.100Z", "a"),
        line("2026-08-19T23:59:59.200Z", "b"),
        "plain text in between",
        line("2026-08-20T00:00:01.300Z", "c"),
        line("2026-08-20T00:00:02.400Z", "d"),
      ]),
      [
        "2026-08-19T23:59:58.100Z info a",
        "23:59:59.200Z info b",
        "plain text in between",
        "2026-08-20T00:00:01.300Z info c",
        "00:00:02.400Z info d",
      ],
    );
  });

  it("leaves lines that are not JSON objects alone", () => {
    const lines = [
      "I0820 09:12:43.550208       1 leaderelection.go:258] successfully acquired lease",
      "[1, 2, 3]",
      "{not json",
      "",
    ];
    assert.deepEqual(compactLogLines(lines), lines);
  });

  it("renders references as Kind/namespace/name, other objects as JSON, and quotes only when needed", () => {
    const [line] = compactLogLines([
      JSON.stringify({
        level: "info",
        ts: "2026-08-20T09:14:52.311Z",
        msg: "dispatching event",
        logger: "event-server",
        eventInvolvedObject: { kind: "HelmRelease", namespace: "monitoring", name: "kube-prometheus-stack" },
        receiver: { name: "github-receiver", namespace: "flux-system" },
        output: { "Namespace/monitoring": "unchanged" },
        exportedInputs: 1,
        tls: true,
        empty: "",
        quoted: 'say "hi"',
      }),
    ]);
    assert.equal(
      line,
      "2026-08-20T09:14:52.311Z info dispatching event logger=event-server " +
        "eventInvolvedObject=HelmRelease/monitoring/kube-prometheus-stack receiver=flux-system/github-receiver " +
        `output={"Namespace/monitoring":"unchanged"} exportedInputs=1 tls=true empty="" quoted="say \\"hi\\""`,
    );
  });

  it("keeps top-level name and namespace when they differ from the reconciled object", () => {
    const [line] = compactLogLines([
      JSON.stringify({
        level: "info",
        msg: "m",
        controller: "helmrelease",
        controllerKind: "HelmRelease",
        HelmRelease: { name: "podinfo", namespace: "frontend" },
        namespace: "other",
        name: "podinfo",
      }),
    ]);
    assert.equal(line, "info HelmRelease/frontend/podinfo: m namespace=other");
  });

  it("keeps a controller name that is not the kind's", () => {
    const [line] = compactLogLines([
      JSON.stringify({
        msg: "m",
        controller: "source-watcher",
        controllerKind: "GitRepository",
        name: "x",
        namespace: "y",
      }),
    ]);
    assert.equal(line, "GitRepository/y/x: m controller=source-watcher");
  });

  it("reads epoch-second timestamps and other common field names", () => {
    const [line] = compactLogLines([
      JSON.stringify({ time: 1787220000.5, severity: "WARN", message: "slow" }),
    ]);
    assert.equal(line, "2026-08-20T10:00:00.500Z WARN slow");
  });
});

describe("groupLogEntries", () => {
  it("keeps indented continuation lines with the line they continue", () => {
    const lines = splitLogLines("panic: boom\n\tgoroutine 1\n  at main.go:3\nnext\n\nafter blank\n");
    assert.deepEqual(groupLogEntries(lines), [
      ["panic: boom", "\tgoroutine 1", "  at main.go:3"],
      ["next"],
      [""],
      ["after blank"],
    ]);
  });

  it("splits text into lines without a trailing empty one or carriage returns", () => {
    assert.deepEqual(splitLogLines(""), []);
    assert.deepEqual(splitLogLines("a\r\nb\n"), ["a", "b"]);
    assert.deepEqual(splitLogLines("a\nb"), ["a", "b"]);
  });
});
