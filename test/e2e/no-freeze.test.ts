// One session sends what used to hold the event loop (a million-character kind, a YAML alias bomb,
// a 2 MiB manifest, the longest `fields` allowed) while another session keeps calling tools and a
// probe keeps asking /healthz. The bound is generous and causal, not a timing threshold: all of it
// is answered, as clean tool errors, while one slow call of the first session (a reconcile waiting
// for a controller that takes a minute) is still in flight.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Client } from "@modelcontextprotocol/client";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectStreamableHttp, textOf } from "../helpers/mcp-clients.ts";
import { startServeProcess, type ServeProcess } from "../helpers/mcp-server-process.ts";

interface Answer {
  text: string;
  isError: boolean;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Answer> {
  const result = await client.callTool({ name, arguments: args }, { timeout: 120_000 });
  return { text: textOf(result), isError: (result as { isError?: boolean }).isError === true };
}

/** Each alias level multiplies the document tenfold: a billion strings if expanded. */
function aliasBomb(): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level <= 9; level++) {
    const previous = `*a${level - 1}`;
    lines.push(`a${level}: &a${level} [${Array(10).fill(previous).join(",")}]`);
  }
  return [
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata: {name: bomb, namespace: default}",
    "data:",
    ...lines.map((line) => `  ${line}`),
  ].join("\n");
}

describe("no request freezes the server", { timeout: 180_000 }, () => {
  let api: TestApiServer;
  let serve: ServeProcess;
  let attacker: Client;
  let bystander: Client;

  before(async () => {
    api = await startTestApiServer({
      simulation: { pickUpDelayMs: 60_000, workDurationMs: 40, newObjectDelayMs: 200 },
    });
    serve = await startServeProcess(["--kubeconfig", api.kubeconfigPath, "--kube-context", "staging"]);
    attacker = await connectStreamableHttp(serve.url, "2025-11-25");
    bystander = await connectStreamableHttp(serve.url, "2025-11-25");
  });
  after(async () => {
    await attacker?.close();
    await bystander?.close();
    await serve?.stop();
    await api?.close();
  });

  it("answers another session and /healthz while one session sends huge and hostile input", async () => {
    let slowCallDone = false;
    const slowCall = call(attacker, "reconcile_flux_kustomization", {
      name: "infra-controllers",
      namespace: "flux-system",
      wait_timeout: "15s",
    }).finally(() => (slowCallDone = true));

    const hostile: [string, Record<string, unknown>][] = [
      ["get_kubernetes_resources", { kind: "K".repeat(1_000_000) }],
      ["get_kubernetes_resources", { kind: "Kustomizatio".repeat(5) }],
      ["get_kubernetes_resources", { kind: "Kustomization", name: "x".repeat(1_000_000) }],
      [
        "get_kubernetes_resources",
        { kind: "Kustomization", fields: Array.from({ length: 32 }, () => `.metadata${"[0]".repeat(120)}`) },
      ],
      ["get_kubernetes_events", { kind: "Kustomization", name: `${"a".repeat(200)}\ud800` }],
      // Catastrophic backtracking for a backtracking engine; linear for the one grep runs on.
      ...["get_kubernetes_logs", "get_kubernetes_events"].map((name): [string, Record<string, unknown>] => [
        name,
        { kind: "Deployment", name: "kustomize-controller", namespace: "flux-system", grep: "(\\w+)+!" },
      ]),
      [
        "get_kubernetes_logs",
        { name: "kustomize-controller", namespace: "flux-system", grep: "a".repeat(600) },
      ],
      ["apply_kubernetes_manifest", { yaml_content: aliasBomb(), dry_run: true }],
      ["diff_kubernetes_manifest", { yaml_content: `# ${"x".repeat(2 * 1024 * 1024 + 10)}` }],
      ["diff_kubernetes_manifest", { yaml_content: `data: ${"[".repeat(100_000)}` }],
    ];
    const hostileAnswers = Promise.all(hostile.map(([name, args]) => call(attacker, name, args)));

    let bystanderAnswers = 0;
    let healthAnswers = 0;
    let hostileDone = false;
    void hostileAnswers.finally(() => (hostileDone = true));
    while (!(hostileDone && bystanderAnswers >= 3 && healthAnswers >= 3)) {
      const [answer, health] = await Promise.all([
        call(bystander, "get_kubernetes_api_versions", {}),
        fetch(new URL("/healthz", serve.url)),
      ]);
      assert.equal(answer.isError, false, answer.text);
      assert.equal(health.status, 200);
      bystanderAnswers++;
      healthAnswers++;
      assert.equal(slowCallDone, false, "answered while the slow call of the other session is in flight");
    }

    for (const [index, answer] of (await hostileAnswers).entries()) {
      const [name, args] = hostile[index] ?? [];
      // The longest fields allowed and the backtracking patterns are valid questions: answered.
      // Everything else is refused.
      if (args?.fields || args?.grep === "(\\w+)+!") {
        assert.equal(answer.isError, false, answer.text.slice(0, 300));
        continue;
      }
      assert.equal(answer.isError, true, `${name}: ${answer.text.slice(0, 200)}`);
      assert.equal(answer.text.trim().split("\n").length, 1, answer.text.slice(0, 500));
      assert.ok(answer.text.length < 1_000, `${name}: an error of ${answer.text.length} characters`);
    }
    assert.equal(slowCallDone, false, "every hostile call was answered while the slow call was in flight");
    const slow = await slowCall;
    assert.match(slow.text, /not yet handled by its controller .* Not a failure/);
  });
});
