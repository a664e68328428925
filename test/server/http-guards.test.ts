import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { describe, it } from "node:test";
import { bearerCheck, hostPolicy, hostProblem } from "../../src/server/http-guards.ts";

function request(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe("hostProblem", () => {
  const loopback = hostPolicy("127.0.0.1", []);

  it("accepts the localhost names, with or without a port", () => {
    for (const host of ["localhost:8080", "127.0.0.1:8080", "[::1]:8080", "LOCALHOST", "127.0.0.1"]) {
      assert.equal(hostProblem(request({ host }), loopback), undefined, host);
    }
  });

  it("refuses other Host names: a DNS rebinding page names its own", () => {
    assert.match(
      hostProblem(request({ host: "attacker.example:8080" }), loopback) ?? "",
      /Host "attacker\.example:8080"/,
    );
    assert.match(hostProblem(request({}), loopback) ?? "", /Host ""/);
  });

  it("refuses a browser Origin that is not local, and accepts requests without one", () => {
    assert.match(
      hostProblem(request({ host: "localhost", origin: "https://attacker.example" }), loopback) ?? "",
      /Origin "https:\/\/attacker\.example" is not allowed/,
    );
    assert.match(
      hostProblem(request({ host: "localhost", origin: "null" }), loopback) ?? "",
      /Origin "null"/,
    );
    assert.equal(
      hostProblem(request({ host: "localhost", origin: "http://localhost:6274" }), loopback),
      undefined,
    );
  });

  it("accepts the bind address and the names given with --allowed-host", () => {
    const policy = hostPolicy("10.1.2.3", ["mcp.example.com"]);
    assert.equal(hostProblem(request({ host: "10.1.2.3:9090" }), policy), undefined);
    assert.equal(hostProblem(request({ host: "MCP.example.com" }), policy), undefined);
    assert.ok(hostProblem(request({ host: "other.example.com" }), policy));
  });

  it("accepts any Host when bound to every interface with no names given, but still checks Origin", () => {
    const policy = hostPolicy("0.0.0.0", []);
    assert.equal(hostProblem(request({ host: "flux-operator-mcp.flux-system.svc:9090" }), policy), undefined);
    assert.ok(hostProblem(request({ host: "x", origin: "https://attacker.example" }), policy));
  });
});

describe("bearerCheck", () => {
  const check = bearerCheck("s3cret-token");

  it("accepts the token and nothing else", () => {
    assert.equal(check(request({ authorization: "Bearer s3cret-token" })), true);
    assert.equal(check(request({ authorization: "bearer s3cret-token" })), true);
    assert.equal(check(request({ authorization: "Bearer s3cret-token2" })), false);
    assert.equal(check(request({ authorization: "Bearer " })), false);
    assert.equal(check(request({ authorization: "Basic s3cret-token" })), false);
    assert.equal(check(request({})), false);
  });
});
