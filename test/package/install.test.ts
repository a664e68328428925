// The package as users get it: packed, installed globally into an empty prefix, its size measured
// by the same script whose figure the README states, and `flux-operator-mcp serve --demo` from that
// installation answering the official MCP client over stdio. Also the registry's server.json and
// the client set-up snippets, which the README must quote exactly as docs/clients/ holds them.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { textOf } from "../helpers/mcp-clients.ts";
import packageJson from "../../package.json" with { type: "json" };

const run = promisify(execFile);
const MAX_INSTALLED_BYTES = 20_000_000;

describe("the installed package", () => {
  let prefix: string;
  let installedBytes: number;

  before(async () => {
    prefix = await mkdtemp(join(tmpdir(), "flux-mcp-prefix-"));
    // dist/ is built by `npm test`; packing without prepack keeps other tests' dist/ in place.
    const { stdout } = await run(process.execPath, [
      "scripts/installed-size.ts",
      "--no-build",
      "--prefix",
      prefix,
    ]);
    installedBytes = Number(/installed size: (\d+) bytes/.exec(stdout)?.[1]);
  });

  after(async () => {
    if (prefix) await rm(prefix, { recursive: true, force: true });
  });

  test("holds what runs and nothing else, needs no dependency, and stays within 20 MB", async () => {
    assert.ok(installedBytes > 1_000_000 && installedBytes <= MAX_INSTALLED_BYTES, `${installedBytes} bytes`);
    const installed = join(prefix, "lib", "node_modules", packageJson.name);
    assert.deepEqual((await readdir(installed)).sort(), [
      "CHANGELOG.md",
      "LICENSE",
      "README.md",
      "dist",
      "docs",
      "fixtures",
      "package.json",
    ]);
    const files = await readdir(join(installed, "dist"), { recursive: true });
    assert.deepEqual(
      files.filter((file) => file.endsWith(".map")),
      [],
    );
    assert.equal("dependencies" in packageJson, false);
    assert.deepEqual(await readdir(join(installed, "node_modules")).catch(() => []), []);
  });

  test("the README states the installed size this script measures, to its one decimal", async () => {
    const readme = await readFile("README.md", "utf8");
    const stated = /`npm i -g` puts (\d+\.\d) MB on the disk/.exec(readme)?.[1];
    assert.ok(stated, "the README states the installed size");
    const measured = installedBytes / 1_000_000;
    assert.ok(
      Math.abs(Number(stated) - measured) <= 0.1,
      `README: ${stated} MB, measured ${measured.toFixed(2)} MB`,
    );
  });

  test("flux-operator-mcp serve --demo answers an MCP client over stdio", async () => {
    const transport = new StdioClientTransport({
      command: join(prefix, "bin", "flux-operator-mcp"),
      args: ["serve", "--demo"],
      // The bin runs `node` from PATH: the project's Node 22 first.
      env: { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`, HOME: prefix },
      stderr: "pipe",
    });
    const client = new Client({ name: "flux-mcp-install-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const answer = textOf(
        await client.callTool({ name: "get_flux_instance", arguments: { context: "staging" } }),
      );
      assert.match(answer, /^context: staging$/m);
      assert.match(answer, /managedBy: flux-operator/);
    } finally {
      await client.close();
    }
  });
});

describe("publishing metadata", () => {
  test("server.json has what the MCP registry requires and matches package.json", async () => {
    const server = JSON.parse(await readFile("server.json", "utf8")) as Record<string, unknown> & {
      packages: Record<string, unknown>[];
    };
    assert.match(
      String(server.$schema),
      /^https:\/\/static\.modelcontextprotocol\.io\/schemas\/.+\/server\.schema\.json$/,
    );
    // Reverse-DNS namespace, one slash; the registry checks mcpName in the npm package against it.
    assert.match(String(server.name), /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/);
    assert.equal(server.name, packageJson.mcpName);
    assert.equal(server.version, packageJson.version);
    assert.ok(typeof server.description === "string" && server.description.length <= 100);
    const npm = server.packages.find((entry) => entry.registryType === "npm");
    assert.deepEqual(
      { identifier: npm?.identifier, version: npm?.version, transport: npm?.transport },
      { identifier: packageJson.name, version: packageJson.version, transport: { type: "stdio" } },
    );
  });

  test("LICENSE is the Apache License 2.0 that package.json names", async () => {
    assert.equal(packageJson.license, "Apache-2.0");
    const license = await readFile("LICENSE", "utf8");
    assert.match(license, /Apache License\s+Version 2\.0, January 2004/);
    assert.match(license, /END OF TERMS AND CONDITIONS/);
  });

  test("the README quotes every client set-up file exactly, and each parses", async () => {
    const readme = await readFile("README.md", "utf8");
    const files = (await readdir("docs/clients")).sort();
    assert.ok(files.length >= 7);
    for (const file of files) {
      const text = (await readFile(join("docs/clients", file), "utf8")).trimEnd();
      if (file.endsWith(".json")) JSON.parse(text);
      else assert.match(text, /^claude mcp add [\w-]+ .* -- flux-operator-mcp serve/);
      const fence = file.endsWith(".json") ? "json" : "sh";
      assert.ok(readme.includes("```" + fence + "\n" + text + "\n```"), `README quotes docs/clients/${file}`);
    }
  });
});
