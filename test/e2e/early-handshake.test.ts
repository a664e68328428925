// The built server answers the stdio handshake, and the tools/list right after it, before the SDK
// has loaded, from what the build recorded. Whatever a client opens with, the session must read exactly as the SDK alone writes
// it: the same answers, none twice, none lost. For each serving mode and opening line, the built
// server (spawned, as a client spawns it) and the server built from source on the same stdio
// stack without any recording are sent the same lines, and everything they write is compared.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/server";
import { handshakeOnlyRuntime } from "../../src/server/handshake-record.ts";
import type { HandshakeMode } from "../../src/server/early-handshake.ts";
import { defineServer } from "../../src/server/mcp-server.ts";
import { serveStdio } from "../../src/server/stdio.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";
import type { Tool } from "../../src/tools/tool.ts";
import { serverEnvironment } from "../helpers/mcp-clients.ts";
import { CLI_PATH } from "../helpers/run-cli.ts";
import packageJson from "../../package.json" with { type: "json" };

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const ANSWER_TIMEOUT_MS = 20_000;
/** Sent after the opening line: its answer says the server has read everything before it. */
const PING = `${JSON.stringify({ jsonrpc: "2.0", id: "last", method: "ping" })}\n`;
const INITIALIZED = `${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`;
const TOOLS_LIST = `${JSON.stringify({ jsonrpc: "2.0", id: "tools", method: "tools/list" })}\n`;

function initialize(params: Record<string, unknown>, id: unknown = 1): string {
  return `${JSON.stringify({ jsonrpc: "2.0", id, method: "initialize", params })}\n`;
}

function plain(protocolVersion: string): Record<string, unknown> {
  return { protocolVersion, capabilities: {}, clientInfo: { name: "a-client", version: "1.0" } };
}

const VERSIONS = [...SUPPORTED_PROTOCOL_VERSIONS, "2026-07-28", "2099-01-01"];
const OPENINGS: [string, string][] = [
  ...VERSIONS.map((version): [string, string] => [`initialize ${version}`, initialize(plain(version))]),
  ["a string id", initialize(plain("2025-06-18"), "first")],
  [
    "a full client's initialize",
    initialize({
      protocolVersion: "2025-11-25",
      capabilities: { roots: { listChanged: true }, sampling: {}, elicitation: {} },
      clientInfo: { name: "claude-code", title: "Claude Code", version: "2.1.0" },
      _meta: { trace: "x" },
    }),
  ],
  ["capabilities of the wrong shape", initialize({ ...plain("2025-06-18"), capabilities: { roots: "yes" } })],
  [
    "a client title that is not text",
    initialize({ ...plain("2025-06-18"), clientInfo: { name: "a", version: "1", title: 5 } }),
  ],
  ["no clientInfo", initialize({ protocolVersion: "2025-06-18", capabilities: {} })],
  ...(
    [
      ["roots.listChanged that is not a boolean", { capabilities: { roots: { listChanged: "yes" } } }],
      ["sampling.context that is not an object", { capabilities: { sampling: { context: true } } }],
      [
        "elicitation.form.applyDefaults that is not a boolean",
        { capabilities: { elicitation: { form: { applyDefaults: 1 } } } },
      ],
      ["an empty elicitation capability", { capabilities: { elicitation: {} } }],
      ["a tasks capability", { capabilities: { tasks: { requests: {} } } }],
      ["capabilities it does not know", { capabilities: { future: { x: 1 }, experimental: { a: {} } } }],
      [
        "client icons",
        {
          clientInfo: {
            name: "a",
            version: "1",
            icons: [{ src: "https://x/i.png", sizes: ["48x48"], theme: "dark" }],
          },
        },
      ],
      [
        "a client icon of an unknown theme",
        { clientInfo: { name: "a", version: "1", icons: [{ src: "i.png", theme: "blue" }] } },
      ],
      ["a progress token that is an object", { _meta: { progressToken: {} } }],
      ["a progress token that is not an integer", { _meta: { progressToken: 1.5 } }],
      ["params it does not know", { somethingNew: [1, 2] }],
    ] as const
  ).map(([what, change]): [string, string] => [what, initialize({ ...plain("2025-06-18"), ...change })]),
  ["a ping first", PING.replace('"last"', "0")],
  // Found by test/server/early-handshake-schema.test.ts: the SDK refuses both as invalid requests.
  [
    "a key beside jsonrpc, id, method and params",
    initialize(plain("2025-06-18")).replace("{", '{"extra":0,'),
  ],
  ["an id past the safe integers", initialize(plain("2025-06-18"), -(2 ** 53))],
];

interface ServeMode {
  flags: string[];
  env?: Record<string, string>;
  mode: HandshakeMode;
}

const MODES: Record<string, ServeMode> = {
  default: { flags: [], mode: { readOnly: false, inCluster: false, maskSecrets: true } },
  "--read-only": { flags: ["--read-only"], mode: { readOnly: true, inCluster: false, maskSecrets: true } },
  "--mask-secrets=false": {
    flags: ["--mask-secrets=false"],
    mode: { readOnly: false, inCluster: false, maskSecrets: false },
  },
  "in a pod": {
    flags: [],
    env: { KUBERNETES_SERVICE_HOST: "10.96.0.1" },
    mode: { readOnly: false, inCluster: true, maskSecrets: true },
  },
  "other flags set": {
    flags: [
      "--read-only",
      "--timeout",
      "5s",
      "--response-limit",
      "5000",
      "--kube-context",
      "prod",
      "-n",
      "apps",
    ],
    mode: { readOnly: true, inCluster: false, maskSecrets: true },
  },
};

/** The built server, spawned as a client spawns it, in a serving mode. */
function spawnServe(
  cli: string,
  serve: ServeMode,
  home: string,
  extra: { nodeArgs?: string[]; env?: Record<string, string> } = {},
) {
  const kubeconfig = serve.env?.KUBERNETES_SERVICE_HOST ? [] : ["--kubeconfig", join(home, "kubeconfig")];
  const child = spawn(
    process.execPath,
    [...(extra.nodeArgs ?? []), cli, "serve", ...kubeconfig, ...serve.flags],
    {
      env: serverEnvironment({ HOME: home, ...serve.env, ...extra.env }),
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  child.stderr.resume();
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return { child, exited };
}

/** The built server in its default mode with the SDK's modules held back until `openGate()`. */
function spawnGated(home: string, gateName: string) {
  const gate = join(home, gateName);
  const hook = fileURLToPath(new URL("../helpers/sdk-gate.ts", import.meta.url));
  const spawned = spawnServe(CLI_PATH, MODES.default as ServeMode, home, {
    nodeArgs: ["--import", hook],
    env: { FLUX_MCP_TEST_SDK_GATE: gate },
  });
  return { ...spawned, openGate: () => writeFile(gate, "") };
}

/** Every line the built server writes, until it has answered the ping, then its input ends. */
async function builtSession(
  cli: string,
  serve: ServeMode,
  home: string,
  lines: string[],
): Promise<unknown[]> {
  const { child, exited } = spawnServe(cli, serve, home);
  for (const line of lines) child.stdin.write(line);
  const written = await linesUntilLast(child.stdout);
  child.stdin.end();
  await exited;
  return written;
}

/** The same lines through the stdio stack built from source, with nothing recorded. */
async function sourceSession(
  tools: readonly Tool[],
  mode: HandshakeMode,
  lines: string[],
): Promise<unknown[]> {
  const definition = defineServer(tools, mode, handshakeOnlyRuntime(mode.maskSecrets), packageJson.version);
  const input = new PassThrough();
  const output = new PassThrough();
  const server = serveStdio(definition, { input, output });
  for (const line of lines) input.write(line);
  const written = await linesUntilLast(output);
  input.end();
  await server.close();
  return written;
}

/** Calls `each` with every message the stream writes, a JSON line each. */
function eachMessage(stream: NodeJS.ReadableStream, each: (message: { id?: unknown }) => void): void {
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
    for (let newline; (newline = text.indexOf("\n")) >= 0; text = text.slice(newline + 1)) {
      each(JSON.parse(text.slice(0, newline)) as { id?: unknown });
    }
  });
}

function linesUntilLast(stream: NodeJS.ReadableStream): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const messages: unknown[] = [];
    const timer = setTimeout(
      () => reject(new Error(`no answer to the last ping; got ${JSON.stringify(messages)}`)),
      ANSWER_TIMEOUT_MS,
    );
    eachMessage(stream, (message) => {
      messages.push(message);
      if (message.id === "last") {
        clearTimeout(timer);
        resolve(messages);
      }
    });
  });
}

function assertSameSession(built: unknown[], source: unknown[]): void {
  assert.deepEqual(built, source);
  const ids = built.map((message) => (message as { id?: unknown }).id);
  assert.equal(new Set(ids).size, ids.length, `an answer was written twice: ${JSON.stringify(ids)}`);
}

describe("stdio handshake answered while the server loads", () => {
  let home: string;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "flux-mcp-early-"));
  });
  after(async () => {
    await rm(home, { recursive: true, force: true });
  });

  for (const [opening, line] of OPENINGS) {
    it(`answers ${opening} as the SDK does`, async () => {
      const serve = MODES.default as ServeMode;
      const lines = [line, PING];
      assertSameSession(
        await builtSession(CLI_PATH, serve, home, lines),
        await sourceSession(ALL_TOOLS, serve.mode, lines),
      );
    });
  }

  for (const [name, serve] of Object.entries(MODES)) {
    it(`answers as the SDK does ${name === "default" ? "with no flags" : name}, for the newest and oldest revision`, async () => {
      for (const version of [SUPPORTED_PROTOCOL_VERSIONS[0], SUPPORTED_PROTOCOL_VERSIONS.at(-1)]) {
        const lines = [initialize(plain(version ?? "")), INITIALIZED, TOOLS_LIST, PING];
        assertSameSession(
          await builtSession(CLI_PATH, serve, home, lines),
          await sourceSession(ALL_TOOLS, serve.mode, lines),
        );
      }
    });
  }

  it("answers initialize before any of the SDK's code has loaded", { timeout: 60_000 }, async () => {
    const serve = MODES.default as ServeMode;
    const { child, exited, openGate } = spawnGated(home, "sdk-may-load");
    const early: unknown[] = [];
    const first = new Promise<void>((resolve) =>
      eachMessage(child.stdout, (message) => {
        early.push(message);
        resolve();
      }),
    );
    const session = linesUntilLast(child.stdout);
    const lines = [initialize(plain("2025-06-18")), PING];
    for (const line of lines) child.stdin.write(line);
    // The SDK is held back until the gate opens: only the early answer can arrive.
    await first;
    assert.equal(early.length, 1);
    assert.equal((early[0] as { id: number }).id, 1);
    await openGate();
    const written = await session;
    child.stdin.end();
    await exited;
    assertSameSession(written, await sourceSession(ALL_TOOLS, serve.mode, lines));
  });

  const afterInitialize: [string, string[]][] = [
    ["tools/list right after initialize", [TOOLS_LIST]],
    [
      "tools/list with a cursor",
      [INITIALIZED, TOOLS_LIST.replace('"tools/list"', '"tools/list","params":{"cursor":"x"}')],
    ],
    ["tools/list after a ping", [INITIALIZED, PING.replace('"last"', '"p"'), TOOLS_LIST]],
    ["tools/list twice", [INITIALIZED, TOOLS_LIST, TOOLS_LIST.replace('"tools"', '"again"')]],
    [
      "a tools/call before tools/list",
      [
        INITIALIZED,
        '{"jsonrpc":"2.0","id":"c","method":"tools/call","params":{"name":"nope"}}\n',
        TOOLS_LIST,
      ],
    ],
  ];
  for (const [what, rest] of afterInitialize) {
    it(`answers ${what} as the SDK does`, async () => {
      const serve = MODES.default as ServeMode;
      const lines = [initialize(plain("2025-06-18")), ...rest, PING];
      assertSameSession(
        await builtSession(CLI_PATH, serve, home, lines),
        await sourceSession(ALL_TOOLS, serve.mode, lines),
      );
    });
  }

  it(
    "answers the tools/list sent once initialize is answered before any of the SDK's code has loaded",
    { timeout: 60_000 },
    async () => {
      const serve = MODES.default as ServeMode;
      const { child, exited, openGate } = spawnGated(home, "sdk-may-load-for-tools");
      const early: { id?: unknown }[] = [];
      const both = new Promise<void>((resolve) =>
        eachMessage(child.stdout, (message) => {
          early.push(message);
          if (early.length === 2) resolve();
        }),
      );
      const session = linesUntilLast(child.stdout);
      child.stdin.write(initialize(plain("2025-11-25")));
      // As a client does: the rest once the initialize is answered.
      await new Promise<void>((resolve) => eachMessage(child.stdout, () => resolve()));
      child.stdin.write(INITIALIZED + TOOLS_LIST);
      await both;
      assert.deepEqual(
        early.map((message) => message.id),
        [1, "tools"],
      );
      await openGate();
      child.stdin.write(PING);
      const written = await session;
      child.stdin.end();
      await exited;
      assertSameSession(
        written,
        await sourceSession(ALL_TOOLS, serve.mode, [
          initialize(plain("2025-11-25")),
          INITIALIZED,
          TOOLS_LIST,
          PING,
        ]),
      );
    },
  );

  it("reads a client that sends everything and closes at once to the end", async () => {
    const serve = MODES.default as ServeMode;
    const lines = [
      initialize(plain("2025-06-18")),
      '{"jsonrpc":"2.0","method":"notifications/initialized"}\n',
      PING,
    ];
    const { child, exited } = spawnServe(CLI_PATH, serve, home);
    child.stdin.end(lines.join(""));
    const [written] = await Promise.all([linesUntilLast(child.stdout), exited]);
    assertSameSession(written, await sourceSession(ALL_TOOLS, serve.mode, lines));
  });

  it("answers from the hardened read-only build's own recording", async () => {
    const outdir = await mkdtemp(join(tmpdir(), "flux-mcp-read-only-build-"));
    try {
      const build = spawn(process.execPath, ["scripts/build.ts", "--read-only", "--outdir", outdir], {
        cwd: REPO,
        stdio: "inherit",
      });
      assert.equal(await new Promise((resolve) => build.once("exit", resolve)), 0);
      const readOnlyTools = ALL_TOOLS.filter((tool) => !tool.writes);
      for (const serve of [MODES.default, MODES["in a pod"]] as ServeMode[]) {
        const lines = [initialize(plain("2025-11-25")), INITIALIZED, TOOLS_LIST, PING];
        assertSameSession(
          await builtSession(join(outdir, "cli.js"), serve, home, lines),
          await sourceSession(readOnlyTools, serve.mode, lines),
        );
      }
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  });
});
