// `serve --demo`: the demo fleet in-process, nothing to install; driven by our client and by the
// MCP Inspector CLI, a client nobody here wrote.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { catalogueNames, connectStdio, serverEnvironment, textOf } from "../helpers/mcp-clients.ts";
import { CLI_PATH } from "../helpers/run-cli.ts";

const require = createRequire(import.meta.url);
const INSPECTOR = join(
  require.resolve("@modelcontextprotocol/inspector/package.json"),
  "..",
  "clients/launcher/build/index.js",
);

describe("serve --demo", { timeout: 120_000 }, () => {
  let home: string;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "flux-mcp-inspector-"));
  });
  after(async () => rm(home, { recursive: true, force: true }));

  it("serves the demo fleet with no kubeconfig", async () => {
    const { client } = await connectStdio(
      ["--demo"],
      "2025-11-25",
      serverEnvironment({ KUBECONFIG: "/nonexistent" }),
    );
    try {
      const contexts = await client.callTool({ name: "get_kubeconfig_contexts", arguments: {} });
      assert.match(textOf(contexts), /staging/);
      assert.match(textOf(contexts), /production/);
      const releases = await client.callTool({
        name: "get_kubernetes_resources",
        arguments: {
          apiVersion: "helm.toolkit.fluxcd.io/v2",
          kind: "HelmRelease",
          namespace: "monitoring",
        },
      });
      assert.match(textOf(releases), /kube-prometheus-stack/);
    } finally {
      await client.close();
    }
  });

  /** Runs `mcp-inspector --cli node dist/cli.js serve --demo ARGS`. */
  function inspector(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [INSPECTOR, "--cli", process.execPath, CLI_PATH, "serve", "--demo", ...args],
        {
          env: { ...serverEnvironment(), HOME: home, MCP_CATALOG_PATH: join(home, "mcp.json") },
          timeout: 60_000,
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  it("lists its tools to the MCP Inspector CLI, schemas passing its portability checks", async () => {
    const result = await inspector(["--method", "tools/list", "--strict"]);
    assert.equal(result.code, 0, result.stderr);
    const { tools } = JSON.parse(result.stdout) as { tools: { name: string }[] };
    assert.deepEqual(
      tools.map((tool) => tool.name),
      catalogueNames({ readOnly: false, inCluster: false }),
    );
  });

  it("answers a tool call from the MCP Inspector CLI", async () => {
    const result = await inspector(["--method", "tools/call", "--tool-name", "get_kubeconfig_contexts"]);
    assert.equal(result.code, 0, result.stderr);
    const answer = JSON.parse(result.stdout) as { content: { text: string }[]; isError?: boolean };
    assert.notEqual(answer.isError, true);
    assert.match(answer.content[0]?.text ?? "", /production/);
  });
});
