import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createCertificateAuthority,
  generateClusterCertificates,
  issueClientCertificate,
  type ClusterCertificates,
} from "../../src/security/certificates.ts";
import { authenticate } from "../../src/security/authentication.ts";
import type { Identity } from "../../src/types.ts";
import {
  base64,
  kubeconfig,
  kubectlMissing,
  request,
  runKubectl,
  startHttpServer,
  startTlsServer,
  type Handler,
  type TestServer,
} from "./http-helpers.ts";

const tokens = new Map<string, Identity>([
  ["alice-token", { user: "alice", groups: ["flux-users"] }],
  ["bare-token", { user: "svc", groups: [] }],
]);

const echoIdentity: Handler = (req, res) => {
  const identity = authenticate(req, tokens);
  res.writeHead(identity ? 200 : 401, { "Content-Type": "application/json" });
  res.end(JSON.stringify(identity ?? null));
};

let certs: ClusterCertificates;
let server: TestServer;

before(async () => {
  certs = await generateClusterCertificates();
  server = await startTlsServer(certs, echoIdentity);
});

after(() => server.close());

test("the admin client certificate authenticates as admin in system:masters", async () => {
  const res = await request(server.port, {
    tls: { ca: certs.caCertPem, cert: certs.adminClientCertPem, key: certs.adminClientKeyPem },
  });
  assert.equal(res.status, 200);
  assert.deepEqual(JSON.parse(res.body), {
    user: "admin",
    groups: ["system:masters", "system:authenticated"],
  });
});

test("an issued client certificate carries the user and every group", async () => {
  const bob = await issueClientCertificate(certs, { user: "bob", groups: ["devs", "ops"] });
  const res = await request(server.port, {
    tls: { ca: certs.caCertPem, cert: bob.certPem, key: bob.keyPem },
  });
  assert.deepEqual(JSON.parse(res.body), { user: "bob", groups: ["devs", "ops", "system:authenticated"] });
});

test("a client certificate from a foreign CA is not authenticated", async () => {
  const foreignCa = await createCertificateAuthority("someone-else");
  const mallory = await issueClientCertificate(foreignCa, { user: "admin", groups: ["system:masters"] });
  const res = await request(server.port, {
    tls: { ca: certs.caCertPem, cert: mallory.certPem, key: mallory.keyPem },
  });
  assert.equal(res.status, 401);
});

test("a known bearer token authenticates without a client certificate", async () => {
  const res = await request(server.port, {
    tls: { ca: certs.caCertPem },
    headers: { Authorization: "Bearer alice-token" },
  });
  assert.deepEqual(JSON.parse(res.body), { user: "alice", groups: ["flux-users", "system:authenticated"] });
  const bare = await request(server.port, {
    tls: { ca: certs.caCertPem },
    headers: { Authorization: "bearer bare-token" },
  });
  assert.deepEqual(JSON.parse(bare.body), { user: "svc", groups: ["system:authenticated"] });
});

test("an unknown token, a malformed header or no credentials at all are not authenticated", async () => {
  for (const authorization of ["Bearer nope", "Basic YWRtaW46YWRtaW4=", "Bearer", undefined]) {
    const res = await request(server.port, {
      tls: { ca: certs.caCertPem },
      headers: authorization === undefined ? {} : { Authorization: authorization },
    });
    assert.equal(res.status, 401, String(authorization));
  }
});

test("a valid token wins over a client certificate", async () => {
  const res = await request(server.port, {
    tls: { ca: certs.caCertPem, cert: certs.adminClientCertPem, key: certs.adminClientKeyPem },
    headers: { Authorization: "Bearer alice-token" },
  });
  assert.equal(JSON.parse(res.body).user, "alice");
});

test("the server certificate verifies for localhost, 127.0.0.1 and ::1 and chains to the CA", async () => {
  const serverCert = new X509Certificate(certs.serverCertPem);
  const ca = new X509Certificate(certs.caCertPem);
  assert.ok(serverCert.verify(ca.publicKey));
  assert.ok(serverCert.checkIssued(ca));
  assert.ok(ca.ca);
  assert.equal(serverCert.checkHost("localhost"), "localhost");
  assert.equal(serverCert.checkIP("127.0.0.1"), "127.0.0.1");
  assert.equal(serverCert.checkIP("::1"), "::1");
  // Hostname verification on by default: the TLS client checks the SAN itself.
  const res = await request(server.port, {
    host: "localhost",
    tls: { ca: certs.caCertPem },
    headers: { Authorization: "Bearer alice-token" },
  });
  assert.equal(res.status, 200);
});

test("plain HTTP still accepts bearer tokens and never client certificates", async () => {
  const plain = await startHttpServer(echoIdentity);
  try {
    const withToken = await request(plain.port, { headers: { Authorization: "Bearer alice-token" } });
    assert.equal(withToken.status, 200);
    assert.equal((await request(plain.port)).status, 401);
  } finally {
    await plain.close();
  }
});

test(
  "kubectl accepts the certificates from a kubeconfig (Go's TLS stack)",
  { skip: kubectlMissing },
  async () => {
    const dir = await mkdtemp(join(tmpdir(), "flux-mcp-certs-"));
    try {
      const path = join(dir, "kubeconfig.yaml");
      await writeFile(
        path,
        kubeconfig(server.port, certs, {
          admin: {
            "client-certificate-data": base64(certs.adminClientCertPem),
            "client-key-data": base64(certs.adminClientKeyPem),
          },
          alice: { token: "alice-token" },
        }),
      );
      const run = (context: string) =>
        runKubectl(["--kubeconfig", path, "--context", context, "get", "--raw", "/whoami"]);
      assert.equal(JSON.parse((await run("admin")).stdout).user, "admin");
      assert.equal(JSON.parse((await run("alice")).stdout).user, "alice");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);
