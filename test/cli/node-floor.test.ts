// The runtime floor: on a Node.js older than package.json's engines, every entry point (both bin
// names, and dist/cli.js run directly) says in one line what it needs, what it found and how to
// get it, and exits 1, instead of crashing while linking the bundle. Runs the built bin under an
// older Node of this machine (the system Node 20 of these machines).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { chmod, cp, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { CLI_PATH } from "../helpers/run-cli.ts";
import packageJson from "../../package.json" with { type: "json" };

const floor = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(packageJson.engines.node);
assert.ok(floor, `engines.node "${packageJson.engines.node}" is not of the form >=X.Y.Z`);
const required = [Number(floor[1]), Number(floor[2] ?? 0), Number(floor[3] ?? 0)];

function isOlder(version: string): boolean {
  const parts = version.split(".").map(Number);
  for (const [index, minimum] of required.entries()) {
    if ((parts[index] ?? 0) !== minimum) return (parts[index] ?? 0) < minimum;
  }
  return false;
}

/** A Node older than the floor: the system ones first, then any other on PATH. */
function findOlderNode(): { path: string; version: string } | undefined {
  const candidates = [
    "/usr/bin/node",
    "/usr/local/bin/node",
    ...(process.env.PATH ?? "").split(delimiter).map((directory) => join(directory, "node")),
  ];
  for (const path of new Set(candidates)) {
    try {
      const version = execFileSync(path, ["-p", "process.versions.node"], { encoding: "utf8" }).trim();
      if (isOlder(version)) return { path, version };
    } catch {
      // Not there, or not runnable: try the next one.
    }
  }
  return undefined;
}

const older = findOlderNode();
const missing =
  older === undefined &&
  `no Node.js older than ${required.join(".")} on this machine (looked at /usr/bin/node, /usr/local/bin/node and PATH); install one (e.g. the distribution's nodejs package) to run this test`;

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(command, args, { env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe("the Node.js version floor", { skip: missing, timeout: 60_000 }, () => {
  let prefix: string;
  let bin: string;
  before(async () => {
    // The bins as npm installs them: dist/cli.js made executable, named symlinks to it, run
    // through its `#!/usr/bin/env node`.
    prefix = await mkdtemp(join(tmpdir(), "flux-mcp-install-"));
    const installed = join(prefix, "lib", "dist");
    await cp(dirname(CLI_PATH), installed, { recursive: true });
    await chmod(join(installed, "cli.js"), 0o755);
    bin = join(prefix, "bin");
    await mkdir(bin);
    await symlink(join(installed, "cli.js"), join(bin, "flux-operator-mcp"));
    await symlink(join(installed, "cli.js"), join(bin, "flux-mcp"));
  });
  after(async () => {
    await rm(prefix, { recursive: true, force: true });
  });

  const expected = (program: string) =>
    `${program}: needs Node.js ${required.join(".")} or newer, found ${older?.version}; ` +
    `install Node.js ${required[0]} LTS or newer (https://nodejs.org/en/download) ` +
    `or run the flux-operator-mcp container image instead (see the README)\n`;

  for (const [program, args] of [
    ["flux-operator-mcp", ["serve"]],
    ["flux-operator-mcp", ["--help"]],
    ["flux-operator-mcp", ["--read-only", "serve", "--transport", "http"]],
    ["flux-mcp", ["serve", "--demo"]],
  ] as const) {
    it(`${program} ${args.join(" ")}: one line on stderr, exit code 1`, async () => {
      const env = { ...process.env, PATH: [bin, dirname(older!.path)].join(delimiter) };
      const result = await run(join(bin, program), [...args], env);
      assert.equal(result.stderr, expected(program));
      assert.equal(result.stdout, "");
      assert.equal(result.code, 1);
    });
  }

  it("node dist/cli.js: the same line, named after the reference", async () => {
    const result = await run(older!.path, [CLI_PATH, "serve"], process.env);
    assert.equal(result.stderr, expected("flux-operator-mcp"));
    assert.equal(result.code, 1);
  });

  it("the Node that runs the tests is new enough: the same bin starts there", async () => {
    const result = await run(process.execPath, [CLI_PATH, "--version"], process.env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `flux-operator-mcp version ${packageJson.version}\n`);
  });
});
