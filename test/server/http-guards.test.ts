import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { describe, it } from "node:test";
import { bearerCheck, hostPolicy, hostProblem, isLoopbackHost } from "../../src/server/http-guards.ts";

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

  it("guards every loopback bind, named or numbered", () => {
    for (const bind of ["localhost", "127.0.0.1", "127.1.2.3", "::1"]) {
      assert.ok(hostProblem(request({ host: "attacker.example" }), hostPolicy(bind, [])), bind);
    }
    assert.equal(
      hostProblem(request({ host: "mcp.local" }), hostPolicy("127.0.0.1", ["mcp.local"])),
      undefined,
    );
  });

  it("bound elsewhere with --allowed-host: those names, the bind address and localhost only", () => {
    const policy = hostPolicy("10.1.2.3", ["mcp.example.com"]);
    assert.equal(hostProblem(request({ host: "10.1.2.3:9090" }), policy), undefined);
    assert.equal(hostProblem(request({ host: "MCP.example.com" }), policy), undefined);
    assert.equal(hostProblem(request({ host: "localhost:9090" }), policy), undefined);
    assert.ok(hostProblem(request({ host: "other.example.com" }), policy));
    assert.ok(hostProblem(request({ host: "mcp.example.com", origin: "https://attacker.example" }), policy));
    const everyInterface = hostPolicy("0.0.0.0", ["mcp.example.com"]);
    assert.ok(hostProblem(request({ host: "0.0.0.0:9090" }), everyInterface));
    assert.equal(hostProblem(request({ host: "mcp.example.com:443" }), everyInterface), undefined);
  });

  it("bound elsewhere without --allowed-host: any Host and any Origin, as a Service or an ingress names it", () => {
    for (const bind of ["0.0.0.0", "::", "10.1.2.3"]) {
      const policy = hostPolicy(bind, []);
      assert.equal(
        hostProblem(request({ host: "flux-operator-mcp.flux-system.svc:9090" }), policy),
        undefined,
        bind,
      );
      assert.equal(
        hostProblem(request({ host: "mcp.example.com", origin: "https://console.example.com" }), policy),
        undefined,
        bind,
      );
    }
  });
});

describe("isLoopbackHost", () => {
  it("knows the loopback names and addresses from the others", () => {
    for (const host of [
      "localhost",
      "LOCALHOST",
      "127.0.0.1",
      "127.255.0.1",
      "::1",
      "[::1]",
      "::ffff:127.0.0.1",
    ]) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of [
      "0.0.0.0",
      "::",
      "10.0.0.5",
      "192.168.1.2",
      "fe80::1",
      "mcp.example.com",
      "128.0.0.1",
    ]) {
      assert.equal(isLoopbackHost(host), false, host);
    }
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
