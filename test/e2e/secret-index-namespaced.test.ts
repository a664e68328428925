// Masking for an identity that may read Secrets only in some namespaces (a RoleBinding per
// namespace, the usual tenant set-up): the cluster-wide Secret list is forbidden to it, so the
// values it can read are learned namespace by namespace. A canary stored in a Secret of the
// namespace it may read, and copied into a ConfigMap there (plain, multi-line, inside JSON), must
// not appear in any output in any encoding; both when the identity may list namespaces and when
// it may only read its context's namespace.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectStdio, textOf, type StdioConnection } from "../helpers/mcp-clients.ts";
import { encodingsOf } from "../helpers/secret-forms.ts";

const CANARY = "cnryN-Qw7'Zt3\"Vb";
const KEY_LINES = [
  "MIIEowIBAAKCAQEAzKnMc4AmbLHdRXwK2Qx0Lt6H69x2zAiN",
  "JoQ1ekVyzF/4Dw0+2hmldNQqUqonf4hJfcTY2suGXfjENxj",
];
const PRIVATE_KEY = `-----BEGIN RSA PRIVATE KEY-----\n${KEY_LINES.join("\n")}\n-----END RSA PRIVATE KEY-----\n`;
const forms = [...encodingsOf(CANARY), ...encodingsOf(PRIVATE_KEY)];

const base64 = (text: string) => Buffer.from(text).toString("base64");
const rbac = "rbac.authorization.k8s.io";
/** A ClusterRole that may list namespaces, bound to `user`. */
function namespaceLister(user: string): object[] {
  return [
    {
      apiVersion: `${rbac}/v1`,
      kind: "ClusterRole",
      metadata: { name: "namespace-lister" },
      rules: [{ apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list"] }],
    },
    {
      apiVersion: `${rbac}/v1`,
      kind: "ClusterRoleBinding",
      metadata: { name: `${user}-namespace-lister` },
      roleRef: { apiGroup: rbac, kind: "ClusterRole", name: "namespace-lister" },
      subjects: [{ apiGroup: rbac, kind: "User", name: user }],
    },
  ];
}

const objects = [
  ...["team-a", "team-b"].map((name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } })),
  {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "db-credentials", namespace: "team-a" },
    data: { password: base64(CANARY), id_rsa: base64(PRIVATE_KEY) },
  },
  {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "app-settings", namespace: "team-a" },
    data: {
      password: CANARY,
      "settings.json": JSON.stringify({ database: { password: CANARY } }),
      "deploy-key": PRIVATE_KEY,
    },
  },
  {
    apiVersion: `${rbac}/v1`,
    kind: "Role",
    metadata: { name: "reader", namespace: "team-a" },
    rules: [{ apiGroups: [""], resources: ["secrets", "configmaps"], verbs: ["get", "list", "watch"] }],
  },
  {
    apiVersion: `${rbac}/v1`,
    kind: "RoleBinding",
    metadata: { name: "reader", namespace: "team-a" },
    roleRef: { apiGroup: rbac, kind: "Role", name: "reader" },
    subjects: [
      { apiGroup: rbac, kind: "User", name: "tenant" },
      { apiGroup: rbac, kind: "User", name: "confined" },
    ],
  },
  ...namespaceLister("tenant"),
];

const calls: [tool: string, args: Record<string, unknown>][] = [
  ["get_kubernetes_resources", { kind: "ConfigMap", name: "app-settings", namespace: "team-a" }],
  ["get_kubernetes_resources", { kind: "ConfigMap", namespace: "team-a", fields: ["data"] }],
  ["get_kubernetes_resources", { kind: "Secret", name: "db-credentials", namespace: "team-a" }],
  ["get_kubernetes_resources", { kind: "Secret", namespace: "team-a" }],
];

describe(
  "masking for an identity that may read Secrets only in some namespaces",
  { timeout: 120_000 },
  () => {
    let api: TestApiServer;
    let directory: string;
    const servers: StdioConnection[] = [];

    before(async () => {
      directory = await mkdtemp(join(tmpdir(), "flux-mcp-namespaced-secrets-"));
      const file = join(directory, "lab.yaml");
      await writeFile(file, objects.map((object) => stringify(object)).join("---\n"));
      api = await startTestApiServer({ sources: [{ name: "lab", paths: [file] }], simulation: false });
    });
    after(async () => {
      for (const server of servers) await server.client.close();
      await api?.close();
      await rm(directory, { recursive: true, force: true });
    });

    const identities: [label: string, flags: string[]][] = [
      ["may list namespaces", ["--kube-as", "tenant"]],
      ["may read only its context's namespace", ["--kube-as", "confined", "--namespace", "team-a"]],
    ];
    for (const [label, flags] of identities) {
      it(`${label}: the canary is masked in every answer`, async () => {
        const server = await connectStdio(
          ["--kubeconfig", api.kubeconfigPath, "--kube-context", "lab", ...flags],
          "2025-11-25",
        );
        servers.push(server);
        const leaks: string[] = [];
        for (const [tool, args] of calls) {
          const result = await server.client.callTool({ name: tool, arguments: args });
          const text = textOf(result);
          assert.ok(!result.isError, `${tool} ${JSON.stringify(args)}: ${text}`);
          assert.match(text, /app-settings|db-credentials/);
          for (const form of forms) if (JSON.stringify(result).includes(form)) leaks.push(`${tool}: ${form}`);
        }
        for (const form of forms) if (server.stderr().includes(form)) leaks.push(`stderr: ${form}`);
        assert.deepEqual(leaks, []);
        const configMap = textOf(
          await server.client.callTool({ name: calls[0]![0], arguments: calls[0]![1] }),
        );
        assert.match(configMap, /password: (["']?)\*\*\*\*\1$/m, configMap);
        // Steady state: the index is kept by its watch; calls that list neither Secrets nor
        // namespaces themselves make no such request for masking.
        const steady = api.server.requestLog.mark();
        for (const [tool, args] of calls.slice(0, 3)) {
          await server.client.callTool({ name: tool, arguments: args });
        }
        const extra = api.server.requestLog
          .entries({ since: steady, verb: "list" })
          .filter((entry) => /\/(secrets|namespaces)$/.test(entry.path));
        assert.deepEqual(extra, []);

        // A Secret created later in the namespace is learned from the namespace's watch.
        const later = `${label.slice(0, 3)}-L4ter-Xq9vR2`;
        const created = await api.kubectl(
          ["apply", "--context", "lab", "--validate=false", "-f", "-"],
          stringify({
            apiVersion: "v1",
            kind: "List",
            items: [
              {
                apiVersion: "v1",
                kind: "Secret",
                metadata: { name: `later-${servers.length}`, namespace: "team-a" },
                stringData: { token: later },
              },
              {
                apiVersion: "v1",
                kind: "ConfigMap",
                metadata: { name: `later-copy-${servers.length}`, namespace: "team-a" },
                data: { token: later },
              },
            ],
          }),
        );
        assert.equal(created.code, 0, created.stderr);
        let copy = "";
        for (let attempt = 0; attempt < 100; attempt++) {
          copy = textOf(
            await server.client.callTool({
              name: "get_kubernetes_resources",
              arguments: { kind: "ConfigMap", name: `later-copy-${servers.length}`, namespace: "team-a" },
            }),
          );
          if (!copy.includes(later)) break;
        }
        assert.ok(copy.includes(`later-copy-${servers.length}`) && !copy.includes(later), copy);
        assert.match(server.stderr(), /may list Secrets only in some namespaces.*: team-a$/m);
      });
    }
  },
);

describe(
  "masking for an identity that may read Secrets in more namespaces than it watches",
  { timeout: 120_000 },
  () => {
    const NAMESPACES = Array.from({ length: 9 }, (_, index) => `tenant-${index}`);
    let api: TestApiServer;
    let directory: string;
    let server: StdioConnection | undefined;

    before(async () => {
      directory = await mkdtemp(join(tmpdir(), "flux-mcp-many-namespaces-"));
      const many = NAMESPACES.flatMap((namespace, index) => [
        { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
        {
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: "token", namespace },
          data: { token: base64(`${CANARY}-${index}`) },
        },
        {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "copy", namespace },
          data: { token: `${CANARY}-${index}` },
        },
        {
          apiVersion: `${rbac}/v1`,
          kind: "Role",
          metadata: { name: "reader", namespace },
          rules: [{ apiGroups: [""], resources: ["secrets", "configmaps"], verbs: ["get", "list", "watch"] }],
        },
        {
          apiVersion: `${rbac}/v1`,
          kind: "RoleBinding",
          metadata: { name: "reader", namespace },
          roleRef: { apiGroup: rbac, kind: "Role", name: "reader" },
          subjects: [{ apiGroup: rbac, kind: "User", name: "wide" }],
        },
      ]);
      const lister = namespaceLister("wide");
      const file = join(directory, "many.yaml");
      await writeFile(file, [...many, ...lister].map((object) => stringify(object)).join("---\n"));
      api = await startTestApiServer({ sources: [{ name: "many", paths: [file] }], simulation: false });
    });
    after(async () => {
      await server?.client.close();
      await api?.close();
      await rm(directory, { recursive: true, force: true });
    });

    it("lists each of them, watches none, and masks the values of every one", async () => {
      const mark = api.server.requestLog.mark();
      server = await connectStdio(
        ["--kubeconfig", api.kubeconfigPath, "--kube-context", "many", "--kube-as", "wide"],
        "2025-11-25",
      );
      for (const [index, namespace] of NAMESPACES.entries()) {
        const text = textOf(
          await server.client.callTool({
            name: "get_kubernetes_resources",
            arguments: { kind: "ConfigMap", name: "copy", namespace },
          }),
        );
        assert.ok(text.includes("copy") && !text.includes(`${CANARY}-${index}`), text);
      }
      const secretRequests = api.server.requestLog
        .entries({ since: mark })
        .filter((entry) => /\/namespaces\/tenant-\d\/secrets/.test(entry.path));
      const listed = new Set(
        secretRequests
          .filter((entry) => entry.verb === "list")
          .map((entry) => /\/namespaces\/(tenant-\d)\/secrets/.exec(entry.path)?.[1]),
      );
      assert.deepEqual([...listed].sort(), NAMESPACES);
      assert.match(server.stderr(), /may list Secrets only in some namespaces.*: tenant-0, /m);
      // More than 8 namespaces: listed again on a timer instead of holding a watch open for each.
      // A watch is logged when it ends: the server's exit ends any it held.
      await server.client.close();
      server = undefined;
      let watches: string[] = [];
      for (let waited = 0; waited < 2_000 && watches.length === 0; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        watches = api.server.requestLog
          .entries({ since: mark, verb: "watch" })
          .filter((entry) => /\/namespaces\/tenant-\d\/secrets/.test(entry.path))
          .map((entry) => entry.path);
      }
      assert.deepEqual(watches, []);
    });
  },
);
