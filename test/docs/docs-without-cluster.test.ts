// The documentation tools need no cluster: the built server, spoken to over stdio by the official MCP
// client, offers them and answers from the embedded knowledge base with no kubeconfig, a broken
// one, one it cannot use, and a cluster that cannot be reached or never answers.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { connectStdio, serverEnvironment, textOf } from "../helpers/mcp-clients.ts";

/** A kubeconfig with one context whose cluster is at `server`. */
function kubeconfig(server: string, user: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: c",
    `  cluster: {server: "${server}"}`,
    "contexts:",
    "- name: c",
    "  context: {cluster: c, user: u}",
    "users:",
    "- name: u",
    `  user: ${user}`,
    "current-context: c",
    "",
  ].join("\n");
}

/** Accepts connections and never answers: a cluster behind a black hole. */
async function silentServer(): Promise<{ port: number; server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  assert.ok(address && typeof address === "object");
  return { port: address.port, server, sockets };
}

/** A port nothing listens on: connections are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  assert.ok(address && typeof address === "object");
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

describe("docs tools without a usable cluster, through the built server", () => {
  let directory: string;
  let silent: Awaited<ReturnType<typeof silentServer>>;
  const cases: { name: string; env: () => Record<string, string> }[] = [];

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), "flux-mcp-docs-"));
    silent = await silentServer();
    const refused = await closedPort();
    const write = async (name: string, text: string) => {
      const path = join(directory, name);
      await writeFile(path, text);
      return path;
    };
    const broken = await write("broken.yaml", "apiVersion: v1\nkind: Config\nclusters: [[[\n");
    const missingCert = await write(
      "missing-cert.yaml",
      kubeconfig(
        "https://127.0.0.1:6443",
        "{client-certificate: /nonexistent/cert.pem, client-key: /nonexistent/key.pem}",
      ),
    );
    const unreachable = await write("refused.yaml", kubeconfig(`https://127.0.0.1:${refused}`, "{token: t}"));
    const hanging = await write("silent.yaml", kubeconfig(`https://127.0.0.1:${silent.port}`, "{token: t}"));
    const home = join(directory, "home");
    cases.push(
      { name: "no kubeconfig at all", env: () => serverEnvironment({ HOME: home }) },
      {
        name: "KUBECONFIG pointing to nothing",
        env: () => serverEnvironment({ KUBECONFIG: join(directory, "none.yaml") }),
      },
      { name: "a kubeconfig that is not valid YAML", env: () => serverEnvironment({ KUBECONFIG: broken }) },
      {
        name: "a kubeconfig whose client certificate is missing",
        env: () => serverEnvironment({ KUBECONFIG: missingCert }),
      },
      {
        name: "a cluster that refuses connections",
        env: () => serverEnvironment({ KUBECONFIG: unreachable }),
      },
      { name: "a cluster that never answers", env: () => serverEnvironment({ KUBECONFIG: hanging }) },
    );
  });

  after(async () => {
    for (const socket of silent.sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.server.close(() => resolve()));
    await rm(directory, { recursive: true, force: true });
  });

  it("offers search_flux_docs and read_flux_doc and answers them from the knowledge base", async (t) => {
    for (const { name, env } of cases) {
      await t.test(name, async () => {
        const { client } = await connectStdio([], "2025-11-25", env());
        try {
          const names = (await client.listTools()).tools.map((tool) => tool.name);
          assert.ok(names.includes("search_flux_docs") && names.includes("read_flux_doc"), names.join(", "));

          const search = await client.callTool({
            name: "search_flux_docs",
            arguments: { query: "which field of a HelmRelease sets drift detection", limit: 3 },
          });
          assert.notEqual(search.isError, true, textOf(search));
          assert.match(
            textOf(search),
            /^Note: Flux CRD schemas of the cluster are (not included|still loading)/m,
          );
          assert.match(textOf(search), /^Path: fields\/helmrelease$/m);
          assert.match(textOf(search), /`spec\.driftDetection\.mode`/);

          const read = await client.callTool({
            name: "read_flux_doc",
            arguments: { path: "/docs/crd/helmrelease", heading: "spec.driftDetection" },
          });
          assert.notEqual(read.isError, true, textOf(read));
          assert.match(textOf(read), /^Path: fields\/helmrelease$/m);
          assert.match(textOf(read), /`spec\.driftDetection\.ignore\.paths`/);

          const miss = await client.callTool({
            name: "search_flux_docs",
            arguments: { query: "sourdough bread recipe" },
          });
          assert.equal(miss.isError, true);
          assert.match(textOf(miss), /^Nothing in the Flux documentation matches "sourdough bread recipe"/);
        } finally {
          await client.close();
        }
      });
    }
  });
});
