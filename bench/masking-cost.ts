// What Secret masking costs on a cluster shaped like a big Helm fleet: the demo's staging cluster
// plus 2,000 Helm release storage Secrets (the real encoding: release JSON, gzip, base64, base64)
// and 300 ordinary Secrets. Measures the first call (the list behind the watch), then the extra
// requests and bytes of each later call (target 0), and the memory the index holds.
// Run: node --expose-gc bench/masking-cost.ts
import { gzipSync } from "node:zlib";
import { randomBytes } from "node:crypto";
import { startTestApiServer } from "../test/helpers/apiserver.ts";
import { createKubeProvider } from "../src/kube/provider.ts";
import { SECRET_FIELD_SELECTOR } from "../src/kube/masking/secret-index.ts";
import { benchArguments } from "./arguments.ts";

benchArguments(import.meta.url, {});

const HELM_RELEASES = Number(process.env.HELM_RELEASES ?? 2000);
const ORDINARY_SECRETS = 300;
const CALLS = 50;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");
const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const api = await startTestApiServer({ simulation: false });
try {
  const raw = await createKubeProvider({
    kubeconfigPaths: [api.kubeconfigPath],
    readOnly: false,
    maskSecrets: false,
  }).forContext("staging");
  const secrets = await raw.resolveKind("Secret", "v1");
  for (let index = 0; index < HELM_RELEASES; index++) {
    // A release holds the chart's templates and values: a realistic gzipped size is tens of KiB.
    const release = {
      name: `app-${index}`,
      namespace: "frontend",
      version: 1,
      manifest: `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${index}\ndata:\n  blob: ${randomBytes(12_000).toString("base64")}\n`,
      chart: { templates: [{ name: "templates/cm.yaml", data: randomBytes(8_000).toString("base64") }] },
    };
    const helmEncoded = gzipSync(JSON.stringify(release)).toString("base64");
    await raw.create(secrets, {
      apiVersion: "v1",
      kind: "Secret",
      type: "helm.sh/release.v1",
      metadata: {
        name: `sh.helm.release.v1.app-${index}.v1`,
        namespace: "frontend",
        labels: { owner: "helm" },
      },
      data: { release: Buffer.from(helmEncoded).toString("base64") },
    });
  }
  for (let index = 0; index < ORDINARY_SECRETS; index++) {
    await raw.create(secrets, {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: `app-credentials-${index}`, namespace: "frontend" },
      stringData: {
        password: randomBytes(18).toString("base64"),
        "values.yaml": `db:\n  password: ${randomBytes(12).toString("hex")}\n`,
      },
    });
  }

  // The JSON each list answers, as bytes (the emulator answers compact JSON, as kube-apiserver does).
  const bytesOf = async (query?: Record<string, string>) =>
    Buffer.byteLength(JSON.stringify(await raw.getPath(["api", "v1", "secrets"], query)));
  const everything = await bytesOf();
  const withoutHelm = await bytesOf({ fieldSelector: SECRET_FIELD_SELECTOR });

  // The client library and discovery are loaded first, so the figures are the index's own.
  const provider = createKubeProvider({ kubeconfigPaths: [api.kubeconfigPath], readOnly: false });
  await (await provider.forContext("staging")).resolveKind("Secret", "v1");
  const before = heap();
  const mark = api.server.requestLog.mark();
  const started = performance.now();
  await (await provider.forContext("staging")).maskText("first call");
  const firstMs = performance.now() - started;
  const firstRequests = api.server.requestLog
    .entries({ since: mark })
    .filter((entry) => entry.path.includes("/secrets"));
  const held = heap() - before;

  const steady = api.server.requestLog.mark();
  const text = 'level=info msg="reconciled" '.repeat(2000);
  const scanStarted = performance.now();
  for (let call = 0; call < CALLS; call++) await (await provider.forContext("staging")).maskText(text);
  const scanMs = (performance.now() - scanStarted) / CALLS;
  const steadyRequests = api.server.requestLog
    .entries({ since: steady })
    .filter((entry) => entry.verb !== "watch");

  console.log(
    `fleet: ${HELM_RELEASES} Helm release Secrets + ${ORDINARY_SECRETS} ordinary Secrets (+ the demo's)`,
  );
  console.log(`a full Secret LIST with data (the old way, per 10 s): ${mib(everything)}`);
  console.log(
    `first call: ${firstRequests.length} Secret list request(s), ${mib(withoutHelm)} read, ${Math.round(firstMs)} ms`,
  );
  console.log(
    `steady state: ${steadyRequests.length} extra requests and 0 bytes over ${CALLS} calls (one watch stays open)`,
  );
  console.log(`memory held by the index: ${mib(held)}`);
  console.log(`scan of a ${text.length}-character answer: ${scanMs.toFixed(2)} ms`);
} finally {
  await api.close();
}
process.exit(0);
