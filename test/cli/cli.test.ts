import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "../helpers/run-cli.ts";

test("--help lists the commands", async () => {
  const result = await runCli(["--help"]);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /flux-operator-mcp apiserver/);
});

test("an unknown command is a one-line usage error with exit code 2", async () => {
  const result = await runCli(["bogus"]);
  assert.equal(result.code, 2);
  assert.equal(result.stderr.trim().split("\n").length, 1);
  assert.match(result.stderr, /unknown command "bogus"/);
});
