// The Kubernetes client library takes most of a second to load, so the provider loads it only for a
// kubeconfig our own code does not read (exec plugins, auth providers): importing the module and
// creating a provider load nothing and send nothing, listing contexts only reads the kubeconfig, and
// a client-certificate kubeconfig is served without it (nor Node's own fetch, which an ES import of
// node:http would load). Checked in a fresh process, whose module
// resolution a hook records.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { parse, stringify } from "yaml";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";

let api: TestApiServer;

before(async () => {
  api = await startTestApiServer();
});
after(async () => {
  await api.close();
});

const childScript = (providerUrl: string, kubeconfigPath: string) => `
import { registerHooks } from "node:module";
const loaded = new Set();
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    if (resolved.url.includes("/node_modules/@kubernetes/client-node/")) loaded.add(resolved.url);
    return resolved;
  },
});
const report = {};
const { createKubeProvider } = await import(${JSON.stringify(providerUrl)});
report.afterImport = loaded.size;
const provider = createKubeProvider({ kubeconfigPaths: [${JSON.stringify(kubeconfigPath)}], readOnly: false });
report.createdSynchronously = typeof provider.then !== "function" && typeof provider.forContext === "function";
report.afterCreate = loaded.size;
report.contexts = (await provider.contexts()).map((context) => context.name);
report.afterContexts = loaded.size;
try {
  const kube = await provider.forContext("staging");
  report.version = await kube.serverVersion();
} catch (error) {
  report.error = error.message;
}
report.afterCall = loaded.size;
// Node's bundled undici (fetch, WebSocket) loads when node:http is imported as an ES module.
report.undici = process.moduleLoadList.some((name) => name.includes("undici"));
process.stdout.write(JSON.stringify(report));
`;

async function runChild(kubeconfigPath: string, name: string): Promise<Record<string, unknown>> {
  const script = join(api.directory, `${name}.mjs`);
  const providerUrl = pathToFileURL(join(import.meta.dirname, "../../src/kube/provider.ts")).href;
  await writeFile(script, childScript(providerUrl, kubeconfigPath));
  const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 30_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

test("a client-certificate kubeconfig is served without the client library, which nothing loads early", async () => {
  const mark = api.server.requestLog.mark();
  const report = await runChild(api.kubeconfigPath, "lazy-load-check");
  assert.equal(report.afterImport, 0);
  assert.equal(report.createdSynchronously, true);
  assert.equal(report.afterCreate, 0);
  assert.deepEqual(report.contexts, ["staging", "production"]);
  assert.equal(report.afterContexts, 0, "listing contexts only reads the kubeconfig");
  assert.match(String(report.version), /^v1\./);
  assert.equal(report.afterCall, 0, "a client certificate needs no client library");
  assert.equal(report.undici, false, "a request loads no fetch implementation");
  assert.deepEqual(
    api.server.requestLog.entries({ since: mark }).map((entry) => `${entry.method} ${entry.path}`),
    ["GET /clusters/staging/version"],
  );
});

test("an exec-plugin kubeconfig loads the client library on its first call", async () => {
  const kubeconfig = parse(await readFile(api.kubeconfigPath, "utf8")) as {
    users: { name: string; user: Record<string, unknown> }[];
  };
  for (const entry of kubeconfig.users) {
    entry.user = { exec: { apiVersion: "client.authentication.k8s.io/v1", command: "false" } };
  }
  const path = join(api.directory, "exec-kubeconfig.yaml");
  await writeFile(path, stringify(kubeconfig), { mode: 0o600 });
  const report = await runChild(path, "lazy-load-exec");
  assert.equal(report.afterContexts, 0, "listing contexts only reads the kubeconfig");
  assert.ok(Number(report.afterCall) > 0, "the exec plugin's first call loads the library");
  assert.match(String(report.error), /staging/, "the failing plugin is reported for its context");
});
