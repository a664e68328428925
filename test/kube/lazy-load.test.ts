// The Kubernetes client library takes most of a second to load, so the provider must not load it
// until a call needs a cluster: importing the module and creating a provider load nothing and send
// nothing, and listing contexts only reads the kubeconfig. Checked in a fresh process, whose module
// resolution a hook records.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
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
const kube = await provider.forContext("staging");
report.version = await kube.serverVersion();
report.afterCall = loaded.size;
process.stdout.write(JSON.stringify(report));
`;

test("importing the provider and creating it load no client library and send no request", async () => {
  const script = join(api.directory, "lazy-load-check.mjs");
  const providerUrl = pathToFileURL(join(import.meta.dirname, "../../src/kube/provider.ts")).href;
  await writeFile(script, childScript(providerUrl, api.kubeconfigPath));
  const mark = api.server.requestLog.mark();
  const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 30_000 });
  const report = JSON.parse(stdout) as Record<string, unknown>;
  assert.equal(report.afterImport, 0);
  assert.equal(report.createdSynchronously, true);
  assert.equal(report.afterCreate, 0);
  assert.deepEqual(report.contexts, ["staging", "production"]);
  assert.equal(report.afterContexts, 0, "listing contexts only reads the kubeconfig");
  assert.match(String(report.version), /^v1\./);
  assert.ok(Number(report.afterCall) > 0, "the first call loads the library");
  assert.deepEqual(
    api.server.requestLog.entries({ since: mark }).map((entry) => `${entry.method} ${entry.path}`),
    ["GET /clusters/staging/version"],
  );
});
