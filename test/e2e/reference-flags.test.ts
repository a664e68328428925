// The reference's flags on the built server's command line, through an MCP client over stdio,
// against the in-memory API server: flags before the subcommand, the kubectl-like connection
// flags with no kubeconfig at all, and the mistakes among them refused in one line.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import {
  issueClientCertificate,
  issueServerCertificate,
  startTestApiServer,
  type TestApiServer,
} from "../helpers/apiserver.ts";
import { startClusterProxy } from "../helpers/kube-config.ts";
import { catalogueNames, MODERN_REVISION, serverEnvironment, textOf } from "../helpers/mcp-clients.ts";
import { CLI_PATH, runCli } from "../helpers/run-cli.ts";

const tokens = new Map([["alice-token", { user: "alice", groups: ["system:masters"] }]]);

describe("the reference's flags", { timeout: 120_000 }, () => {
  let api: TestApiServer;
  let caFile: string;
  /** No KUBECONFIG, and a HOME without ~/.kube/config: only the flags say where the cluster is. */
  let env: Record<string, string>;
  before(async () => {
    api = await startTestApiServer({ tokens });
    caFile = join(api.directory, "ca.crt");
    await writeFile(caFile, api.server.certificates.caCertPem);
    env = serverEnvironment({ HOME: api.directory });
  });
  after(async () => api.close());

  /** `node dist/cli.js ARGS` over stdio, the arguments exactly as given (flags before serve or after). */
  async function connect(args: string[]): Promise<Client> {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI_PATH, ...args], env });
    const client = new Client(
      { name: "flux-mcp-tests", version: "1.0.0" },
      { versionNegotiation: { mode: { pin: MODERN_REVISION } } },
    );
    await client.connect(transport);
    return client;
  }

  async function getApps(client: Client) {
    const mark = api.server.requestLog.mark();
    const result = await client.callTool({
      name: "get_kubernetes_resources",
      arguments: {
        apiVersion: "kustomize.toolkit.fluxcd.io/v1",
        kind: "Kustomization",
        name: "apps",
        namespace: "flux-system",
      },
    });
    const entries = api.server.requestLog.entries({ since: mark });
    return { result, text: textOf(result), entries };
  }

  it("flags before the subcommand, as cobra's persistent flags: --read-only serve", async () => {
    const client = await connect(["--read-only", "--kube-server", api.server.clusterUrl("staging"), "serve"]);
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.map((tool) => tool.name),
        catalogueNames({ readOnly: true, inCluster: false }),
      );
    } finally {
      await client.close();
    }
  });

  it("server, token, CA, TLS server name, impersonation with UID and namespace: no kubeconfig", async () => {
    // Reached by address, with a certificate that names only the cluster's DNS name.
    const serving = await issueServerCertificate(api.server.certificates, [
      { type: "dns", value: "kubernetes.default.svc" },
    ]);
    const proxy = await startClusterProxy(api, "staging", serving);
    const client = await connect([
      "--kube-server",
      `https://127.0.0.1:${proxy.port}`,
      "--kube-token=alice-token",
      "--kube-certificate-authority",
      caFile,
      "serve",
      "--kube-tls-server-name",
      "kubernetes.default.svc",
      "--kube-as",
      "dave",
      "--kube-as-group",
      "system:masters",
      "--kube-as-uid",
      "uid-42",
      "-n",
      "flux-system",
    ]);
    try {
      const { result, text, entries } = await getApps(client);
      assert.equal(result.isError, undefined, text);
      assert.match(text, /name: apps/);
      assert.ok(entries.length > 0);
      for (const entry of entries) {
        assert.equal(entry.user, "dave", entry.path);
        assert.equal(entry.uid, "uid-42", entry.path);
      }
      // A manifest object without a namespace lands in the one given with -n.
      const mark = api.server.requestLog.mark();
      const diff = await client.callTool({
        name: "diff_kubernetes_manifest",
        arguments: {
          yaml_content: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags-check\ndata:\n  a: b\n",
        },
      });
      assert.equal(diff.isError, undefined, textOf(diff));
      const paths = api.server.requestLog.entries({ since: mark }).map((entry) => entry.path);
      assert.ok(
        paths.some((path) => path.includes("/namespaces/flux-system/configmaps/flags-check")),
        paths.join("\n"),
      );
    } finally {
      await client.close();
      await proxy.close();
    }
  });

  it("client certificate and key files", async () => {
    const issued = await issueClientCertificate(api.server.certificates, {
      user: "carol",
      groups: ["system:masters"],
    });
    await writeFile(join(api.directory, "carol.crt"), issued.certPem);
    await writeFile(join(api.directory, "carol.key"), issued.keyPem, { mode: 0o600 });
    const client = await connect([
      "serve",
      "--kube-server",
      api.server.clusterUrl("staging"),
      "--kube-certificate-authority",
      caFile,
      "--kube-client-certificate",
      join(api.directory, "carol.crt"),
      "--kube-client-key",
      join(api.directory, "carol.key"),
    ]);
    try {
      const { result, text, entries } = await getApps(client);
      assert.equal(result.isError, undefined, text);
      assert.deepEqual([...new Set(entries.map((entry) => entry.user))], ["carol"]);
    } finally {
      await client.close();
    }
  });

  it("an unverifiable server is refused unless --kube-insecure-skip-tls-verify", async () => {
    const server = [
      "serve",
      "--kube-server",
      api.server.clusterUrl("staging"),
      "--kube-token",
      "alice-token",
    ];
    const verifying = await connect(server);
    try {
      const { result, text } = await getApps(verifying);
      assert.equal(result.isError, true);
      assert.match(text, /certificate/i);
    } finally {
      await verifying.close();
    }
    const insecure = await connect([...server, "--kube-insecure-skip-tls-verify"]);
    try {
      const { result, text, entries } = await getApps(insecure);
      assert.equal(result.isError, undefined, text);
      assert.deepEqual([...new Set(entries.map((entry) => entry.user))], ["alice"]);
    } finally {
      await insecure.close();
    }
  });

  const mistakes: [string[], RegExp][] = [
    [
      ["--kube-certificate-authority", "/etc/hostname", "--kube-insecure-skip-tls-verify"],
      /--kube-certificate-authority and --kube-insecure-skip-tls-verify exclude each other/,
    ],
    [
      ["--kube-client-key", "/nonexistent/key.pem"],
      /--kube-client-key \/nonexistent\/key\.pem: no such file/,
    ],
    [["--kube-server", "https://"], /invalid --kube-server "https:\/\/"/],
    [["-n", "Not_A_Namespace"], /invalid --namespace "Not_A_Namespace"/],
    [["--kube-insecure-skip-tls-verify=maybe"], /invalid value "maybe" for --kube-insecure-skip-tls-verify/],
    [
      ["--demo", "--kube-server", "https://10.0.0.1:6443"],
      /--demo brings its own clusters; it cannot be combined with --kube-server/,
    ],
  ];
  for (const [args, message] of mistakes) {
    it(`refuses ${args.join(" ")} in one line, with exit code 2`, async () => {
      const result = await runCli(["serve", ...args], { env });
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
      assert.match(result.stderr, message);
    });
  }

  it("--help before or after the subcommand lists every reference flag", async () => {
    for (const args of [
      ["serve", "--help"],
      ["--help", "serve"],
      ["-h", "serve"],
    ]) {
      const { code, stdout } = await runCli(args, { env });
      assert.equal(code, 0);
      for (const flag of [
        "--kube-as-uid UID",
        "--kube-token TOKEN",
        "--kube-server URL",
        "--kube-tls-server-name NAME",
        "--kube-client-certificate FILE",
        "--kube-client-key FILE",
        "--kube-certificate-authority FILE",
        "--kube-insecure-skip-tls-verify",
        "-n, --namespace NAME",
        "FLUX_MCP_HOST",
      ]) {
        assert.ok(stdout.includes(flag), `${args.join(" ")}: ${flag}`);
      }
    }
  });
});
