// `flux-mcp serve` flags: help, version, and one-line usage errors with exit code 2.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runCli } from "../helpers/run-cli.ts";
import packageJson from "../../package.json" with { type: "json" };

describe("flux-mcp serve flags", { timeout: 120_000 }, () => {
  it("prints its help, naming the reference's flags and defaults", async () => {
    const result = await runCli(["serve", "--help"]);
    assert.equal(result.code, 0);
    for (const flag of [
      "--transport stdio|sse|http",
      "--port N",
      "--read-only",
      "--mask-secrets",
      "--kube-as USER",
    ]) {
      assert.ok(result.stdout.includes(flag), flag);
    }
    assert.match(result.stdout, /--timeout DURATION .*default 1m/);
  });

  it("lists serve in the top-level help, and prints the version", async () => {
    assert.match((await runCli(["--help"])).stdout, /flux-operator-mcp serve/);
    // The reference's form (cobra's): "<name> version <version>".
    const version = await runCli(["--version"]);
    assert.equal(version.code, 0);
    assert.equal(version.stdout, `flux-operator-mcp version ${packageJson.version}\n`);
  });

  const mistakes: [string[], RegExp][] = [
    [["--transport", "carrier-pigeon"], /unknown transport "carrier-pigeon": expected stdio, sse or http/],
    [["--bogus"], /Unknown option '--bogus'/],
    [["--timeout", "10"], /invalid --timeout "10": expected a duration like 30s/],
    [["--timeout=-1s"], /invalid --timeout "-1s"/],
    [["--timeout", "-1s"], /Option '--timeout' argument is ambiguous/],
    [["--mask-secrets=maybe"], /invalid value "maybe" for --mask-secrets: expected true or false/],
    [["--port", "99999"], /invalid --port "99999": expected a whole number from 0 to 65535/],
    [["--response-limit", "lots"], /invalid --response-limit "lots"/],
    [["--auth-token-file", "/nonexistent/token"], /cannot read --auth-token-file/],
    [["stray"], /Unexpected argument 'stray'/],
    [["--demo", "--kubeconfig", "x"], /--demo brings its own clusters/],
  ];
  for (const [args, message] of mistakes) {
    it(`refuses ${args.join(" ")} in one line, with exit code 2`, async () => {
      const result = await runCli(["serve", ...args]);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, "");
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
      assert.match(result.stderr, message);
    });
  }
});
