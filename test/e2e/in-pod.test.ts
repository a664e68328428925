// Listening where the server is reached. A simulated pod (the service-account files and
// KUBERNETES_SERVICE_HOST/PORT pointing at the in-memory API server, started with the reference
// chart's arguments) listens on every interface: reached on a non-loopback address of this machine
// with the Service's host name, its probes answer, the context tools are hidden and the cluster
// sees the service account. On a workstation the default stays loopback; FLUX_MCP_HOST (set by
// the container image) moves it; a non-loopback bind without a token warns once.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Client } from "@modelcontextprotocol/client";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { fetchWithHost } from "../helpers/host-header-fetch.ts";
import {
  catalogueNames,
  clientFor,
  MODERN_REVISION,
  serverEnvironment,
  textOf,
} from "../helpers/mcp-clients.ts";
import { startServeProcess, type ServeProcess } from "../helpers/mcp-server-process.ts";
import { simulatePod, type SimulatedPod } from "../helpers/simulated-pod.ts";

const SERVICE_HOST = "flux-operator-mcp.flux-system.svc:9090";
const SERVICE_ACCOUNT = "system:serviceaccount:flux-system:flux-operator-mcp";

/** An address of this machine that is not loopback, as a pod's own IP is. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address !== undefined && !address.internal && address.family === "IPv4")?.address;

const warnings = (stderr: string) => stderr.split("\n").filter((line) => line.includes("warning:"));

describe("in a pod", { timeout: 120_000 }, () => {
  let api: TestApiServer;
  let pod: SimulatedPod;
  let server: ServeProcess;
  before(async () => {
    api = await startTestApiServer({
      tokens: new Map([["pod-token", { user: SERVICE_ACCOUNT, groups: ["system:masters"] }]]),
    });
    pod = await simulatePod(api, { cluster: "staging", token: "pod-token", namespace: "flux-system" });
    // The reference chart's arguments, but a free port rather than 9090.
    server = await startServeProcess(["--transport=sse", "--read-only"], pod.env);
  });
  after(async () => {
    await server?.stop();
    await pod?.close();
    await api?.close();
  });

  it("listens on every interface and warns, once, that no token guards it", () => {
    assert.match(server.url, /^http:\/\/0\.0\.0\.0:\d+$/);
    assert.deepEqual(warnings(server.stderr()).length, 1, server.stderr());
    assert.match(server.stderr(), /warning: listening on 0\.0\.0\.0 without --auth-token-file/);
  });

  describe(
    "reached on a non-loopback address with the Service's host name",
    {
      skip:
        outsideAddress === undefined &&
        "this machine has no non-loopback IPv4 address to reach the server on",
    },
    () => {
      const viaService = fetchWithHost(SERVICE_HOST);
      const base = () => `http://${outsideAddress}:${new URL(server.url).port}`;

      it("the probes answer", async () => {
        for (const path of ["/healthz", "/readyz"]) {
          const response = await viaService(`${base()}${path}`);
          assert.equal(response.status, 200, path);
          assert.equal(await response.text(), "ok\n");
        }
      });

      for (const revision of ["2025-06-18", MODERN_REVISION] as const) {
        it(`${revision}: context tools hidden, calls made as the service account, in its namespace`, async () => {
          const client: Client = clientFor(revision);
          await client.connect(
            new StreamableHTTPClientTransport(new URL(`${base()}/mcp`), { fetch: viaService }),
          );
          try {
            const { tools } = await client.listTools();
            const names = tools.map((tool) => tool.name);
            assert.deepEqual(names, catalogueNames({ readOnly: true, inCluster: true }));
            assert.ok(!names.includes("set_kubeconfig_context"));
            const mark = api.server.requestLog.mark();
            const result = await client.callTool({
              name: "get_kubernetes_resources",
              arguments: {
                apiVersion: "kustomize.toolkit.fluxcd.io/v1",
                kind: "Kustomization",
                namespace: "flux-system",
              },
            });
            assert.equal(result.isError, undefined, textOf(result));
            assert.match(textOf(result), /name: apps/);
            // A manifest object without a namespace is placed in the pod's own namespace.
            const diff = await client.callTool({
              name: "diff_kubernetes_manifest",
              arguments: { yaml_content: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pod-check\n" },
            });
            assert.equal(diff.isError, undefined, textOf(diff));
            const entries = api.server.requestLog.entries({ since: mark });
            assert.ok(entries.length > 0);
            assert.deepEqual([...new Set(entries.map((entry) => entry.user))], [SERVICE_ACCOUNT]);
            assert.ok(
              entries.some((entry) => entry.path.includes("/namespaces/flux-system/configmaps/pod-check")),
            );
          } finally {
            await client.close();
          }
        });
      }
    },
  );
});

describe("listening defaults off a pod", { timeout: 120_000 }, () => {
  const started: ServeProcess[] = [];
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), "flux-mcp-listen-"));
  });
  async function serve(args: string[], extra: Record<string, string> = {}): Promise<ServeProcess> {
    const process = await startServeProcess(["--demo", ...args], serverEnvironment(extra));
    started.push(process);
    return process;
  }
  after(async () => {
    await Promise.all(started.map((process) => process.stop()));
    await rm(directory, { recursive: true, force: true });
  });

  it("a workstation: loopback, no warning", async () => {
    const server = await serve([]);
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(warnings(server.stderr()), []);
  });

  it("KUBERNETES_SERVICE_HOST without the service-account files is not a pod: loopback", async () => {
    const server = await serve([], { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" });
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("the container image's FLUX_MCP_HOST=0.0.0.0: every interface, with the warning", async () => {
    const server = await serve([], { FLUX_MCP_HOST: "0.0.0.0" });
    assert.match(server.url, /^http:\/\/0\.0\.0\.0:\d+$/);
    assert.equal(warnings(server.stderr()).length, 1, server.stderr());
  });

  it("--host wins over FLUX_MCP_HOST; a token file silences the warning", async () => {
    const loopback = await serve(["--host", "127.0.0.1"], { FLUX_MCP_HOST: "0.0.0.0" });
    assert.match(loopback.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const tokenFile = join(directory, "token");
    await writeFile(tokenFile, "s3cret\n", { mode: 0o600 });
    const guarded = await serve(["--auth-token-file", tokenFile], { FLUX_MCP_HOST: "0.0.0.0" });
    assert.match(guarded.url, /^http:\/\/0\.0\.0\.0:\d+$/);
    assert.deepEqual(warnings(guarded.stderr()), []);
  });

  it("bound to every interface with --allowed-host: those names only", async () => {
    const server = await serve(["--host", "0.0.0.0", "--allowed-host", "mcp.example.com"]);
    const initialize = (host: string) =>
      fetchWithHost(host)(`http://127.0.0.1:${new URL(server.url).port}/mcp`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: {
            protocolVersion: "2025-06-18",
            capabilities: {},
            clientInfo: { name: "t", version: "1" },
          },
        }),
      });
    const refused = await initialize(SERVICE_HOST);
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /Host "flux-operator-mcp\.flux-system\.svc:9090" is not allowed/);
    const allowed = await initialize("mcp.example.com");
    assert.equal(allowed.status, 200);
    await allowed.body?.cancel();
  });
});
