// tools/list of the built server, compared with the golden files in test/golden/: any change to a
// tool's name, description, schema or annotations shows up as a diff in review.
// UPDATE_GOLDEN=1 npm test rewrites them.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectStdio, serverEnvironment } from "../helpers/mcp-clients.ts";

const GOLDEN = new URL("../golden/", import.meta.url);

async function listedTools(args: string[], env: Record<string, string>): Promise<unknown> {
  const { client } = await connectStdio(args, "2025-11-25", env);
  try {
    return (await client.listTools()).tools;
  } finally {
    await client.close();
  }
}

async function compareWithGolden(name: string, tools: unknown): Promise<void> {
  const file = new URL(name, GOLDEN);
  // Formatted as the repository formats JSON, so `prettier --check` agrees with the file.
  const options = await resolveConfig(fileURLToPath(file));
  const actual = await format(JSON.stringify(tools, null, 2), { ...options, parser: "json" });
  if (process.env.UPDATE_GOLDEN === "1") {
    await writeFile(file, actual);
    return;
  }
  const expected = await readFile(file, "utf8").catch(() => "(missing: run UPDATE_GOLDEN=1 npm test)");
  assert.equal(
    actual,
    expected,
    `tools/list differs from test/golden/${name}; UPDATE_GOLDEN=1 npm test rewrites it`,
  );
}

describe("tools/list golden files", { timeout: 120_000 }, () => {
  let api: TestApiServer;
  before(async () => {
    api = await startTestApiServer();
  });
  after(async () => api.close());

  it("default mode", async () => {
    await compareWithGolden(
      "tools-default.json",
      await listedTools(["--kubeconfig", api.kubeconfigPath], serverEnvironment()),
    );
  });

  it("--read-only offers no tool that writes", async () => {
    const tools = (await listedTools(
      ["--read-only", "--kubeconfig", api.kubeconfigPath],
      serverEnvironment(),
    )) as {
      annotations: { readOnlyHint: boolean };
    }[];
    assert.ok(tools.every((tool) => tool.annotations.readOnlyHint));
    await compareWithGolden("tools-read-only.json", tools);
  });

  it("in a pod offers no kubeconfig tool and no context argument", async () => {
    const env = serverEnvironment({ KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" });
    const tools = (await listedTools([], env)) as { name: string; inputSchema: { properties: object } }[];
    assert.ok(tools.every((tool) => !("context" in tool.inputSchema.properties)));
    assert.ok(!tools.some((tool) => tool.name === "set_kubeconfig_context"));
    await compareWithGolden("tools-in-cluster.json", tools);
  });
});
