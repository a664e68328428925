// The masking corpus, end to end: canary Secret values planted in every position an output can
// carry them (test/data/secret-corpus: data, stringData, last-applied, Helm values, ConfigMap, env,
// event, log line plain and JSON, condition message, multi-line, inside YAML and JSON), loaded
// with the demo fleet. Every tool is called through the built server over stdio, with grep probes
// that try to read a masked value back. Every output (answers, progress notifications, the call
// log, stderr) is searched for every canary in every encoding: leaks must be 0. The same read
// calls against a server with --mask-secrets=false tell how often a name or public value was
// masked by mistake: false masks must be 0.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { demoSourcesWith, startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { catalogueNames, connectStdio, textOf, type StdioConnection } from "../helpers/mcp-clients.ts";
import { encodingsOf } from "../helpers/secret-forms.ts";

const CORPUS = join(import.meta.dirname, "..", "data", "secret-corpus");
const { canaries, multiLine } = JSON.parse(readFileSync(join(CORPUS, "canaries.json"), "utf8")) as {
  canaries: Record<string, string>;
  multiLine: string[];
};

const secretForms = [...Object.values(canaries), ...multiLine].flatMap(encodingsOf);

/** Names of objects and namespaces, and public parts of Secrets, that masking must leave alone. */
const publicValues = [
  "flux-system",
  "kustomize-controller",
  "podinfo-pr-142",
  "canary-app",
  "flux-bot",
  "canary-robot",
  "ghcr.io",
  "registry.example.com",
  "podinfo-secret-values",
  "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT",
  "password",
  // A line of the demo's values.yaml Secret, and of every other chart's values.
  "enabled: true",
];

/** Patterns that would match only if grep ran on clear text: the first characters of each canary. */
const probes = Object.values(canaries).map((canary) => canary.slice(0, 9).replace(/[^\w-]/g, "."));

const pod = { name: "canary-app-6b8f9c-x2k4p", namespace: "frontend" };
const helmRelease = { kind: "HelmRelease", name: "canary-app", namespace: "frontend" };
// The Secret gets a key of its own: rewriting api-key would rotate the data canary out of the
// cluster (stringData replaces the key in data), and a value no Secret holds is no secret.
const manifest = `apiVersion: v1
kind: ConfigMap
metadata: {name: canary-copies, namespace: frontend}
data: {note: "${canaries.data}", other: "changed"}
---
apiVersion: v1
kind: Secret
metadata: {name: canary-api, namespace: frontend}
stringData: {next-api-key: "rotated-${canaries.log}"}
`;

/** Reads: run against both servers, for leaks and for false masks. */
const reads: [tool: string, args: Record<string, unknown>][] = [
  ["get_flux_instance", {}],
  ["get_kubernetes_resources", { kind: "Secret", namespace: "frontend" }],
  ["get_kubernetes_resources", { kind: "Secret", namespace: "flux-system" }],
  ["get_kubernetes_resources", { kind: "Secret", name: "canary-api", namespace: "frontend" }],
  ["get_kubernetes_resources", { kind: "Secret", name: "password-is-password", namespace: "frontend" }],
  ["get_kubernetes_resources", { kind: "ConfigMap", name: "canary-copies", namespace: "frontend" }],
  ["get_kubernetes_resources", { kind: "Pod", name: pod.name, namespace: "frontend" }],
  ["get_kubernetes_resources", { ...helmRelease }],
  ["get_kubernetes_resources", { kind: "HelmRelease", namespace: "frontend", fields: ["spec.values"] }],
  ["get_kubernetes_resources", { kind: "ConfigMap", namespace: "frontend", fields: ["data"] }],
  ["get_kubernetes_resources", { kind: "Event", namespace: "frontend" }],
  [
    "get_kubernetes_resources",
    { kind: "Deployment", name: "kustomize-controller", namespace: "flux-system" },
  ],
  ["get_kubernetes_events", { namespace: "frontend" }],
  ["get_kubernetes_events", { namespace: "flux-system" }],
  ["get_kubernetes_events", { ...helmRelease }],
  ["get_kubernetes_logs", { ...pod }],
  ["get_kubernetes_logs", { kind: "Deployment", name: "kustomize-controller", namespace: "flux-system" }],
  ["get_kubernetes_metrics", { namespace: "frontend" }],
  ["get_kubernetes_api_versions", {}],
  ["trace_kubernetes_resource", { kind: "ConfigMap", name: "canary-copies", namespace: "frontend" }],
  ["trace_kubernetes_resource", { ...helmRelease }],
  ["analyze_flux_resource", { ...helmRelease }],
  ["analyze_flux_resource", {}],
  ["get_flux_dependency_graph", { namespace: "frontend" }],
  ["compare_flux_resources", { ...helmRelease, left_context: "staging", right_context: "production" }],
  ["diff_kubernetes_manifest", { yaml_content: manifest }],
  ["search_flux_docs", { query: canaries.data }],
  ["read_flux_doc", { path: canaries.data }],
  ["get_kubeconfig_contexts", {}],
];

/** Writes and grep probes: run against the masking server only. */
const writes: [tool: string, args: Record<string, unknown>][] = [
  ...probes.map((grep): [string, Record<string, unknown>] => ["get_kubernetes_logs", { ...pod, grep }]),
  ...probes.map((grep): [string, Record<string, unknown>] => [
    "get_kubernetes_events",
    { namespace: "frontend", grep },
  ]),
  ["set_kubeconfig_context", { name: canaries.data }],
  ["set_kubeconfig_context", { name: "staging" }],
  ["reconcile_flux_resource", { ...helmRelease, wait: false }],
  ["reconcile_flux_kustomization", { name: canaries.data, namespace: "flux-system" }],
  ["reconcile_flux_source", { kind: "GitRepository", name: canaries.data, namespace: "flux-system" }],
  ["reconcile_flux_resourceset", { name: canaries.data, namespace: "flux-system" }],
  ["suspend_flux_reconciliation", { ...helmRelease }],
  ["resume_flux_reconciliation", { ...helmRelease, wait: false }],
  ["apply_kubernetes_manifest", { yaml_content: manifest, dry_run: true }],
  ["apply_kubernetes_manifest", { yaml_content: manifest, overwrite: true }],
  [
    "patch_kubernetes_resource",
    {
      kind: "ConfigMap",
      name: "canary-copies",
      namespace: "frontend",
      patch: JSON.stringify({ metadata: { annotations: { "example.com/again": canaries.event } } }),
    },
  ],
  ["patch_kubernetes_resource", { kind: "Secret", name: "canary-basic", namespace: "frontend", patch: "{}" }],
  [
    "delete_kubernetes_resource",
    { kind: "ConfigMap", name: "canary-copies", namespace: "frontend", dry_run: true },
  ],
  ["install_flux_instance", { instance_url: `https://example.com/${canaries.data}.yaml` }],
  // Last: waits for the outcome, with progress notifications.
  ["reconcile_flux_helmrelease", { name: "canary-app", namespace: "frontend", wait: true }],
];

function leaksIn(text: string): string[] {
  return secretForms.filter((form) => text.includes(form));
}

function occurrences(text: string, value: string): number {
  return text.split(value).length - 1;
}

describe("secret masking corpus", { timeout: 300_000 }, () => {
  let api: TestApiServer;
  let directory: string;
  let masking: StdioConnection;
  let clear: StdioConnection;
  let logFile: string;

  before(async () => {
    api = await startTestApiServer({
      sources: demoSourcesWith("staging", [join(CORPUS, "staging.yaml")]),
      simulation: { pickUpDelayMs: 300, workDurationMs: 1500, newObjectDelayMs: 200 },
    });
    directory = await mkdtemp(join(tmpdir(), "flux-mcp-corpus-"));
    logFile = join(directory, "calls.jsonl");
    const common = ["--kubeconfig", api.kubeconfigPath, "--kube-context", "staging"];
    masking = await connectStdio([...common, "--tool-call-log-file", logFile], "2025-11-25");
    clear = await connectStdio([...common, "--mask-secrets=false"], "2025-11-25");
  });
  after(async () => {
    await masking?.client.close();
    await clear?.client.close();
    await api?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it("loads the canaries where a careless server would show them", async () => {
    const unmasked = textOf(
      await clear.client.callTool({ name: "get_kubernetes_logs", arguments: { ...pod } }),
    );
    assert.ok(unmasked.includes(canaries.log ?? ""), unmasked);
    assert.ok(unmasked.includes(canaries.event ?? ""), unmasked);
  });

  it("every tool, every output: 0 leaks, 0 false masks, grep reads nothing back", async () => {
    const { tools } = await masking.client.listTools();
    const listed = tools.map((tool) => tool.name).sort();
    assert.deepEqual(listed, catalogueNames({ readOnly: false, inCluster: false }).sort());
    const called = new Set([...reads, ...writes].map(([tool]) => tool));
    assert.deepEqual(
      listed.filter((name) => !called.has(name)),
      [],
      "every listed tool is exercised",
    );

    const leaks: string[] = [];
    const falseMasks: string[] = [];
    const progress: string[] = [];
    let reachedCorpus = 0;
    for (const [tool, args] of [...reads, ...writes]) {
      const result = await masking.client.callTool(
        { name: tool, arguments: args },
        { onprogress: (notification) => progress.push(notification.message ?? "") },
      );
      const text = textOf(result);
      for (const form of leaksIn(JSON.stringify(result)))
        leaks.push(`${tool} ${JSON.stringify(args)}: ${form}`);
      if (/canary-|password-is-password/.test(text)) reachedCorpus++;
      if (tool === "get_kubernetes_logs" && "grep" in args && !/no line matches/.test(text)) {
        leaks.push(`grep probe ${String(args.grep)} matched in logs: ${text}`);
      }
      if (tool === "get_kubernetes_events" && "grep" in args && /Warning|Normal/.test(text)) {
        leaks.push(`grep probe ${String(args.grep)} matched in events: ${text}`);
      }
      if (reads.some(([name, readArgs]) => name === tool && readArgs === args)) {
        const reference = textOf(await clear.client.callTool({ name: tool, arguments: args }));
        for (const value of publicValues) {
          const missing = occurrences(reference, value) - occurrences(text, value);
          if (missing > 0) falseMasks.push(`${tool} ${JSON.stringify(args)}: ${value} masked ${missing}×`);
        }
      }
    }
    for (const message of progress) for (const form of leaksIn(message)) leaks.push(`progress: ${form}`);
    const log = await readFile(logFile, "utf8");
    for (const form of leaksIn(log)) leaks.push(`call log: ${form}`);
    for (const form of leaksIn(masking.stderr())) leaks.push(`stderr: ${form}`);

    console.log(
      `masking corpus: ${[...reads, ...writes].length} calls, ${secretForms.length} canary forms, ` +
        `${publicValues.length} public values; leaks = ${leaks.length}, false masks = ${falseMasks.length}, ` +
        `progress notifications = ${progress.length}`,
    );
    assert.deepEqual(leaks, [], "leaks");
    assert.deepEqual(falseMasks, [], "false masks");
    assert.ok(reachedCorpus >= 15, `the calls reached the corpus objects (${reachedCorpus})`);
    assert.ok(progress.length > 0, "the reconcile with wait sent progress notifications");
    assert.equal(log.trim().split("\n").length, reads.length + writes.length);
  });

  it("is the measurement the README states: its canary forms and public values counted", async () => {
    const readme = await readFile(join(import.meta.dirname, "../../README.md"), "utf8");
    assert.match(
      readme,
      new RegExp(
        `0 leaks in ${secretForms.length} canary forms[\\s\\S]{0,120}0 false masks of ${publicValues.length} names`,
      ),
    );
  });

  it("masks values only: keys kept, the YAML still parses", async () => {
    const text = textOf(
      await masking.client.callTool({
        name: "get_kubernetes_resources",
        arguments: { kind: "Secret", name: "password-is-password", namespace: "frontend" },
      }),
    );
    const secret = parse(text) as { data: Record<string, string> };
    assert.deepEqual(secret.data, { password: "****", username: "****" });
    const token = textOf(
      await masking.client.callTool({
        name: "get_kubernetes_resources",
        arguments: { kind: "Secret", name: "flux-operator-token", namespace: "flux-system" },
      }),
    );
    const parsed = parse(token) as { data: Record<string, string> };
    assert.deepEqual(Object.keys(parsed.data).sort(), ["ca.crt", "namespace", "token"]);
  });
});
