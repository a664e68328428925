// One rule for where every command reads its kubeconfig: --kubeconfig FILE, else the files in
// KUBECONFIG, else ~/.kube/config; an empty --kubeconfig "" counts as not given, as kubectl takes it.
import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectStdio, serverEnvironment } from "../helpers/mcp-clients.ts";
import { runCli } from "../helpers/run-cli.ts";

describe('--kubeconfig "" in serve, graph and snapshot', { timeout: 180_000 }, () => {
  let api: TestApiServer;
  let directory: string;
  /** Where the kubeconfig comes from, and the environment that puts it there. */
  let sources: [string, Record<string, string>][];

  before(async () => {
    api = await startTestApiServer({ simulation: false });
    directory = await mkdtemp(join(tmpdir(), "flux-mcp-kubeconfig-flag-"));
    const home = join(directory, "home");
    const emptyHome = join(directory, "empty-home");
    await mkdir(join(home, ".kube"), { recursive: true });
    await mkdir(emptyHome);
    await copyFile(api.kubeconfigPath, join(home, ".kube", "config"));
    sources = [
      // A home without a kubeconfig: only KUBECONFIG can have named the cluster.
      ["KUBECONFIG", serverEnvironment({ KUBECONFIG: api.kubeconfigPath, HOME: emptyHome })],
      ["~/.kube/config", serverEnvironment({ HOME: home })],
    ];
  });
  after(async () => {
    await api?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it("serve falls back to KUBECONFIG, then to ~/.kube/config", async () => {
    for (const [source, env] of sources) {
      const connection = await connectStdio(["--kubeconfig", ""], "2025-11-25", env);
      try {
        const result = (await connection.client.callTool({
          name: "get_kubeconfig_contexts",
          arguments: {},
        })) as {
          content: { text: string }[];
          isError?: boolean;
        };
        assert.notEqual(result.isError, true, `${source}: ${result.content[0]?.text}`);
        const answer = parse(result.content[0]?.text ?? "") as {
          current: string;
          contexts: { context: string }[];
        };
        assert.equal(answer.current, "staging", source);
        assert.deepEqual(
          answer.contexts.map((context) => context.context),
          ["production", "staging"],
          source,
        );
      } finally {
        await connection.client.close();
      }
    }
  });

  it("graph falls back to KUBECONFIG, then to ~/.kube/config", async () => {
    for (const [source, env] of sources) {
      const result = await runCli(["graph", "--kubeconfig", "", "--context", "staging", "-n", "frontend"], {
        env,
      });
      assert.equal(result.code, 0, `${source}: ${result.stderr}`);
      assert.match(result.stderr, /^Flux dependency graph in context staging, namespace frontend: /, source);
      assert.match(result.stdout, /^flowchart /m, source);
    }
  });

  it("snapshot falls back to KUBECONFIG, then to ~/.kube/config", async () => {
    for (const [index, [source, env]] of sources.entries()) {
      const file = join(directory, `snapshot-${index}.yaml`);
      const result = await runCli(["snapshot", "--kubeconfig", "", "--context", "staging", "-o", file], {
        env,
        timeoutMs: 120_000,
      });
      assert.equal(result.code, 0, `${source}: ${result.stderr}`);
      assert.match(await readFile(file, "utf8"), /\bkind: ClusterInfo\b/, source);
    }
  });

  it("a named --kubeconfig still wins over KUBECONFIG", async () => {
    const env = serverEnvironment({ KUBECONFIG: join(directory, "missing.yaml") });
    const result = await runCli(["graph", "--kubeconfig", api.kubeconfigPath, "--context", "staging"], {
      env,
    });
    assert.equal(result.code, 0, result.stderr);
  });
});
