// Kubeconfig handling: a KUBECONFIG list merged as kubectl merges it, the default context, and a
// bad kubeconfig never failing at provider creation but in the calls, as a Config error.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { writeKubeconfig } from "../helpers/kube-config.ts";
import { createKubeProvider } from "../../src/kube/provider.ts";
import { KubeError } from "../../src/kube/types.ts";

let api: TestApiServer;
let first: string;
let second: string;

const tokens = new Map([
  ["staging-token", { user: "staging-user", groups: ["system:masters"] }],
  ["production-token", { user: "production-user", groups: ["system:masters"] }],
]);

before(async () => {
  api = await startTestApiServer({ tokens });
  first = await writeKubeconfig(
    api,
    "first.yaml",
    [
      {
        name: "staging",
        server: api.server.clusterUrl("staging"),
        user: { token: "staging-token" },
        namespace: "apps",
      },
    ],
    "staging",
  );
  // Defines `staging` again (pointing at production) and another current-context: the first file wins both.
  second = await writeKubeconfig(
    api,
    "second.yaml",
    [
      {
        name: "production",
        server: api.server.clusterUrl("production"),
        user: { token: "production-token" },
      },
      {
        name: "staging",
        entryName: "staging-shadowed",
        server: api.server.clusterUrl("production"),
        user: { token: "production-token" },
      },
    ],
    "production",
  );
});
after(async () => {
  await api.close();
});

test("two kubeconfig files merge: contexts of both, the first file wins, its current-context is the default", async () => {
  const provider = createKubeProvider({ kubeconfigPaths: [first, second], readOnly: false });
  assert.deepEqual(await provider.contexts(), [
    { name: "staging", cluster: "staging", user: "staging", namespace: "apps", current: true },
    { name: "production", cluster: "production", user: "production", current: false },
  ]);
  assert.equal(await provider.defaultContext(), "staging");

  const mark = api.server.requestLog.mark();
  const staging = await provider.forContext();
  await staging.resolveKind("ks");
  const production = await provider.forContext("production");
  await production.resolveKind("ks");
  const entries = api.server.requestLog.entries({ since: mark });
  const stagingEntries = entries.filter((entry) => entry.path.startsWith("/clusters/staging/"));
  const productionEntries = entries.filter((entry) => entry.path.startsWith("/clusters/production/"));
  assert.ok(stagingEntries.length > 0 && stagingEntries.every((entry) => entry.user === "staging-user"));
  assert.ok(
    productionEntries.length > 0 && productionEntries.every((entry) => entry.user === "production-user"),
  );
});

test("--kube-context overrides the current-context", async () => {
  const provider = createKubeProvider({
    kubeconfigPaths: [first, second],
    context: "production",
    readOnly: false,
  });
  assert.equal(await provider.defaultContext(), "production");
  assert.equal((await provider.forContext()).context, "production");
  assert.deepEqual(
    (await provider.contexts()).filter((context) => context.current).map((context) => context.name),
    ["production"],
  );
});

test("a missing file in the list is skipped, like kubectl does", async () => {
  const provider = createKubeProvider({
    kubeconfigPaths: [join(api.directory, "absent.yaml"), second],
    readOnly: false,
  });
  assert.equal(await provider.defaultContext(), "production");
});

test("no kubeconfig at all: creating the provider works, every call is a Config error naming the file", async () => {
  const missing = join(api.directory, "nowhere", "config");
  const provider = createKubeProvider({ kubeconfigPaths: [missing], readOnly: false });
  const expected = { reason: "Config", message: `no kubeconfig found: ${missing} does not exist` };
  await assert.rejects(provider.contexts(), expected);
  await assert.rejects(provider.defaultContext(), expected);
  await assert.rejects(provider.forContext("staging"), expected);
});

test("a kubeconfig fixed after a failure is read again", async () => {
  const later = join(api.directory, "later.yaml");
  const provider = createKubeProvider({ kubeconfigPaths: [later], readOnly: false });
  await assert.rejects(provider.contexts(), { reason: "Config" });
  await writeFile(later, await readFile(second, "utf8"));
  assert.equal(await provider.defaultContext(), "production");
});

test("no current-context and no --kube-context: a Config error listing the contexts", async () => {
  const path = await writeKubeconfig(api, "no-current.yaml", [
    { name: "production", server: api.server.clusterUrl("production"), user: { token: "production-token" } },
  ]);
  const provider = createKubeProvider({ kubeconfigPaths: [path], readOnly: false });
  await assert.rejects(provider.forContext(), {
    reason: "Config",
    message: `the kubeconfig (${path}) sets no current-context: choose one with --kube-context (contexts: production)`,
  });
  assert.equal((await provider.forContext("production")).context, "production");
});

test("an unknown context and a context without its cluster are Config errors", async () => {
  const provider = createKubeProvider({ kubeconfigPaths: [first], readOnly: false });
  await assert.rejects(provider.forContext("qa"), {
    reason: "Config",
    message: `context "qa" is not in the kubeconfig (${first}); contexts: staging`,
  });

  const dangling = join(api.directory, "dangling.yaml");
  await writeFile(
    dangling,
    "apiVersion: v1\nkind: Config\ncontexts:\n- name: lost\n  context: {cluster: gone, user: gone}\n",
  );
  await assert.rejects(
    createKubeProvider({ kubeconfigPaths: [dangling], readOnly: false }).forContext("lost"),
    {
      reason: "Config",
      message: /^context lost names cluster "gone", which the kubeconfig .* does not define/,
    },
  );
});

test("a kubeconfig that is not YAML is a Config error naming the file", async () => {
  const broken = join(api.directory, "broken.yaml");
  await writeFile(broken, "clusters: [\n  - {name: x\n");
  await assert.rejects(
    createKubeProvider({ kubeconfigPaths: [broken], readOnly: false }).contexts(),
    (error) => {
      assert.ok(error instanceof KubeError);
      assert.equal(error.reason, "Config");
      assert.match(error.message, new RegExp(`^kubeconfig ${broken} is not valid YAML: `));
      assert.doesNotMatch(error.message, /\n/);
      return true;
    },
  );
});
