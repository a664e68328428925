// The defaults of `serve`'s flags that the README states: each one is what `serve --help` prints,
// what the flags parse to when not given, and, where it can be seen from outside (the HTTP address),
// what the built server does. A default changed in the code or in the README alone fails here.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { parseServeFlags, serveSettings } from "../../src/cli/serve.ts";
import { serverEnvironment } from "../helpers/mcp-clients.ts";
import { CLI_PATH, runCli } from "../helpers/run-cli.ts";

const readme = await readFile("README.md", "utf8");

/** The README's words for one flag's default: the first group of `pattern`, which must be there. */
function stated(pattern: RegExp): string {
  const value = pattern.exec(readme)?.[1];
  assert.ok(value, `the README states ${pattern.source}`);
  return value;
}

/** "1m", "30m", "45s", "2h" as the README writes them, in milliseconds. */
function milliseconds(duration: string): number {
  const match = /^(\d+)(s|m|h)$/.exec(duration);
  assert.ok(match?.[1] && match[2], `a duration: ${duration}`);
  return Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2] as "s" | "m" | "h"];
}

const readmeDefaults = {
  transport: stated(/`flux-mcp serve` speaks MCP over (\w+) \(default\)/),
  port: stated(/`--port` \((\d+)\)/),
  "mask-secrets": stated(/`--mask-secrets`\s+\(default (true|false)\)/),
  timeout: stated(/`--timeout` \((\w+) per call\)/),
  "max-sessions": stated(/`--max-sessions` \((\d+) HTTP sessions at once\)/),
  "session-idle-timeout": stated(/`--session-idle-timeout` \((\w+)\)/),
  "response-limit": stated(/`--response-limit` \(([\d,]+) characters/).replaceAll(",", ""),
};
const workstationHost = stated(/On a workstation the HTTP transports listen on ([\d.]+)\./);

describe("serve's defaults, as the README states them", { timeout: 60_000 }, () => {
  it("are the defaults serve --help prints", async () => {
    const help = (await runCli(["serve", "--help"])).stdout;
    for (const [flag, value] of Object.entries(readmeDefaults)) {
      // The first "(default …)" after the flag's own line, which may wrap.
      const printed = new RegExp(`^ {2}--${flag}\\b[^]*?\\(default ([^;)]+)`, "m").exec(help)?.[1];
      assert.equal(printed, value, `--${flag}`);
    }
    assert.match(help, new RegExp(`--host ADDRESS[^]*?else ${workstationHost.replaceAll(".", "\\.")}\\)`));
  });

  it("are what the flags parse to when none is given", () => {
    const settings = serveSettings(parseServeFlags([]));
    assert.deepEqual(settings, {
      transport: readmeDefaults.transport,
      port: Number(readmeDefaults.port),
      maskSecrets: readmeDefaults["mask-secrets"] === "true",
      timeoutMs: milliseconds(readmeDefaults.timeout),
      maxSessions: Number(readmeDefaults["max-sessions"]),
      sessionIdleMs: milliseconds(readmeDefaults["session-idle-timeout"]),
      responseLimit: Number(readmeDefaults["response-limit"]),
    });
  });

  it("over HTTP without --port or --host, the built server listens on the workstation address and that port", async () => {
    const child = spawn(process.execPath, [CLI_PATH, "serve", "--transport", "http"], {
      env: serverEnvironment(),
      stdio: ["ignore", "ignore", "pipe"],
    });
    const address = `${workstationHost}:${readmeDefaults.port}`;
    try {
      // Whether the port is free on this machine or not, the server names the address it took.
      const said = await new Promise<string>((resolve, reject) => {
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
          if (/serving MCP at|EADDRINUSE/.test(stderr)) resolve(stderr);
        });
        child.once("close", (code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
      });
      assert.ok(
        said.includes(`serving MCP at http://${address}/mcp`) ||
          said.includes(`EADDRINUSE: address already in use ${address}`),
        said,
      );
    } finally {
      child.kill();
    }
  });
});
