// `kubectl auth can-i` end to end: real kubectl, protobuf request bodies, our reviews.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import { selfSubjectAccessReview, selfSubjectRulesReview } from "../../src/security/access-reviews.ts";
import { authenticate } from "../../src/security/authentication.ts";
import { generateClusterCertificates } from "../../src/security/certificates.ts";
import { createAuthorizer } from "../../src/security/rbac.ts";
import {
  decodeReviewProtobuf,
  KUBERNETES_PROTOBUF_CONTENT_TYPE,
} from "../../src/security/review-protobuf.ts";
import type { Identity } from "../../src/types.ts";
import {
  kubeconfig,
  kubectlMissing,
  readBody,
  runKubectl,
  startTlsServer,
  type TestServer,
} from "./http-helpers.ts";
import { rbacObjects, staticRbac } from "./rbac-fixtures.ts";

const rbac = staticRbac(rbacObjects);
const authorize = createAuthorizer(rbac);
const tokens = new Map<string, Identity>([
  ["bob-token", { user: "bob", groups: [] }],
  ["dave-token", { user: "dave", groups: [] }],
]);

/** Just enough of an API server for `kubectl auth can-i`: /version and the two self reviews. */
async function miniApiServer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const identity = authenticate(req, tokens);
  const body = await readBody(req);
  const send = (status: number, object: unknown) => {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(object));
  };
  if (!identity) return send(401, { kind: "Status", apiVersion: "v1", status: "Failure", code: 401 });
  if (req.method === "GET" && req.url?.startsWith("/version")) return send(200, { major: "1", minor: "32" });
  if (req.method !== "POST")
    return send(404, { kind: "Status", apiVersion: "v1", status: "Failure", code: 404 });
  const review = req.headers["content-type"]?.startsWith(KUBERNETES_PROTOBUF_CONTENT_TYPE)
    ? decodeReviewProtobuf(body)
    : JSON.parse(body.toString("utf8"));
  if (req.url === "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews" && review) {
    return send(201, selfSubjectAccessReview(review, identity, authorize));
  }
  if (req.url === "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews" && review) {
    return send(201, selfSubjectRulesReview(review, identity, rbac));
  }
  send(404, { kind: "Status", apiVersion: "v1", status: "Failure", code: 404 });
}

let server: TestServer;
let dir: string;
let kubeconfigPath: string;

before(async () => {
  const certs = await generateClusterCertificates();
  server = await startTlsServer(certs, miniApiServer);
  dir = await mkdtemp(join(tmpdir(), "flux-mcp-can-i-"));
  kubeconfigPath = join(dir, "kubeconfig.yaml");
  await writeFile(
    kubeconfigPath,
    kubeconfig(server.port, certs, { bob: { token: "bob-token" }, dave: { token: "dave-token" } }),
  );
});

after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function canI(context: string, ...args: string[]): Promise<string> {
  const run = runKubectl(["--kubeconfig", kubeconfigPath, "--context", context, "auth", "can-i", ...args]);
  // `no` exits with status 1; the answer is on stdout either way.
  const { stdout } = await run.catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
  return stdout.trim();
}

test("kubectl auth can-i answers yes and no", { skip: kubectlMissing }, async () => {
  assert.equal(await canI("bob", "get", "pods", "--subresource=log", "-n", "apps"), "yes");
  assert.equal(await canI("bob", "delete", "pods", "-n", "apps"), "no");
  assert.equal(await canI("dave", "get", "/healthz/etcd"), "yes");
  assert.equal(await canI("bob", "get", "/healthz/etcd"), "no");
});

test("kubectl auth can-i --list shows the rules of the namespace", { skip: kubectlMissing }, async () => {
  const table = await canI("dave", "--list", "-n", "apps");
  assert.match(table, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs/);
  assert.match(table, /configmaps\s+\[\]\s+\[settings\]\s+\[get update\]/);
  assert.match(table, /\*\.apps\/scale\s+\[\]\s+\[\]\s+\[update patch\]/);
  assert.match(table, /\[\/metrics\]\s+\[\]\s+\[get\]/);
});
