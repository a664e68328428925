// The container images, built with podman from the Containerfile and run the way the reference's
// users run theirs: `run -i ... serve` with a mounted kubeconfig, and the HTTP transport reached
// through the host network, both against the in-memory API server; read-only root file system,
// user 65532, no shell, no package manager, tzdata and CA certificates, and the sizes the README
// states; the hardened flavour holds no write tool's code whatever its flags say.
import assert from "node:assert/strict";
import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { ALL_TOOLS } from "../../src/tools/index.ts";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { textOf } from "../helpers/mcp-clients.ts";

const run = promisify(execFile);
const podmanFound = spawnSync("podman", ["--version"]).status === 0;
const skip = podmanFound
  ? false
  : "podman is not installed (.ci/run installs it: scripts/ci-container-tools.sh)";

const TAG = "test";
const DEFAULT_IMAGE = `localhost/flux-mcp:${TAG}`;
const READONLY_IMAGE = `localhost/flux-mcp:${TAG}-readonly`;
const KUBECONFIG_IN_IMAGE = "/home/nonroot/.kube/config";
const WRITE_TOOL_NAMES = ALL_TOOLS.filter((tool) => tool.writes).map((tool) => tool.name);
// The settings the project's container notes need on these machines; harmless elsewhere.
const RUN = ["run", "--rm", "--ulimit", "host"];

async function podman(...args: string[]): Promise<string> {
  return (await run("podman", args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
}

function client(): Client {
  return new Client({ name: "flux-mcp-image-tests", version: "1.0.0" });
}

/** Every .js file of the image's bundle, copied out of the image. */
async function bundleOf(image: string, into: string): Promise<string> {
  const container = (await podman("create", image)).trim();
  try {
    await podman("cp", `${container}:/app/dist`, into);
  } finally {
    await podman("rm", container);
  }
  const files = (await readdir(into, { recursive: true })).filter((file) => file.endsWith(".js"));
  const texts = await Promise.all(files.map((file) => readFile(join(into, file), "utf8")));
  return texts.join("\n");
}

/** The sizes build-images.ts prints, one `IMAGE BYTES` line per image (podman's own figure). */
function sizesPrinted(stdout: string): Map<string, number> {
  return new Map(
    [...stdout.matchAll(/^(\S+) (\d+)$/gm)].map((line) => [line[1] ?? "", Number(line[2])] as const),
  );
}

interface LayerSizes {
  node: number;
  bundle: number;
  base: number;
}

/** The image's layer sizes split by what they hold, told apart by where the Containerfile copies. */
async function layerSizes(image: string): Promise<LayerSizes> {
  const history = JSON.parse(await podman("history", "--format", "json", image)) as {
    CreatedBy: string;
    size: number;
  }[];
  const sizes: LayerSizes = { node: 0, bundle: 0, base: 0 };
  for (const layer of history) {
    if (/ in \/usr\/bin\/node /.test(layer.CreatedBy)) sizes.node += layer.size;
    else if (/ in \/(app\/|flux-operator-mcp )/.test(layer.CreatedBy)) sizes.bundle += layer.size;
    else sizes.base += layer.size;
  }
  return sizes;
}

describe("container images", { skip }, () => {
  let api: TestApiServer;
  let scratch: string;
  let builtBytes: Map<string, number>;

  before(async () => {
    const built = await run(process.execPath, ["scripts/build-images.ts", "--tag", TAG, "--no-build"], {
      maxBuffer: 16 * 1024 * 1024,
    });
    builtBytes = sizesPrinted(built.stdout);
    api = await startTestApiServer();
    scratch = await mkdtemp(join(tmpdir(), "flux-mcp-image-"));
  });

  after(async () => {
    await api?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  for (const image of [DEFAULT_IMAGE, READONLY_IMAGE]) {
    test(`${image}: run -i answers an MCP session over stdio, read-only root, mounted kubeconfig`, async () => {
      const transport = new StdioClientTransport({
        command: "podman",
        args: [
          ...RUN,
          "-i",
          "--read-only",
          "--network",
          "host",
          "-v",
          `${api.kubeconfigPath}:${KUBECONFIG_IN_IMAGE}:ro`,
          image,
          "serve",
        ],
        stderr: "pipe",
      });
      const session = client();
      await session.connect(transport);
      try {
        const answer = textOf(
          await session.callTool({ name: "get_flux_instance", arguments: { context: "staging" } }),
        );
        assert.match(answer, /^context: staging$/m);
        assert.match(answer, /managedBy: flux-operator/);
      } finally {
        await session.close();
      }
    });
  }

  test("the HTTP transport answers through the host network", async () => {
    const server: ChildProcess = spawn(
      "podman",
      [
        ...RUN,
        "--read-only",
        "--network",
        "host",
        "-v",
        `${api.kubeconfigPath}:${KUBECONFIG_IN_IMAGE}:ro`,
        DEFAULT_IMAGE,
        "serve",
        "--transport",
        "http",
        // Any free port: a fixed one could be taken on a shared machine.
        "--port",
        "0",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    const url = await new Promise<string>((resolve, reject) => {
      server.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /serving MCP at (http:\/\/[^/\s]+)/.exec(stderr);
        if (match?.[1]) resolve(match[1].replace("0.0.0.0", "127.0.0.1"));
      });
      server.once("exit", (code) => reject(new Error(`the container exited with ${code}:\n${stderr}`)));
    });
    const session = client();
    try {
      const health = await fetch(new URL("/healthz", url));
      assert.equal(health.status, 200);
      await session.connect(new StreamableHTTPClientTransport(new URL("/mcp", url)));
      const answer = textOf(
        await session.callTool({
          name: "get_kubernetes_resources",
          arguments: { kind: "HelmRelease", context: "production" },
        }),
      );
      assert.match(answer, /ingress-nginx/);
    } finally {
      await session.close();
      const exited = new Promise((resolve) => server.once("exit", resolve));
      server.kill("SIGTERM");
      await exited;
    }
  });

  for (const image of [DEFAULT_IMAGE, READONLY_IMAGE]) {
    test(`${image}: distroless-style, runs as 65532, root file system it cannot write (README: Container images)`, async () => {
      const config = JSON.parse(await podman("image", "inspect", "--format", "{{json .Config}}", image)) as {
        User: string;
        Entrypoint: string[];
      };
      // The probe runs on the image's Node, which needs glibc: its answering shows glibc is there.
      // Each package manager is looked for in every directory a shell or PATH would find it in.
      const probe = `
        const fs = require("node:fs");
        let rootWritten = "yes";
        try { fs.writeFileSync("/probe", "") } catch (error) { rootWritten = error.code }
        const zone = "/usr/share/zoneinfo/Europe/Paris";
        const binaries = ["/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"]
          .flatMap((dir) => ["apt", "apt-get", "dpkg"].map((name) => dir + "/" + name));
        console.log(JSON.stringify({
          uid: process.getuid(),
          gid: process.getgid(),
          rootWritten,
          shell: fs.existsSync("/bin/sh"),
          caBundle: fs.existsSync("/etc/ssl/certs/ca-certificates.crt"),
          tzdata: fs.existsSync(zone) && fs.readFileSync(zone).subarray(0, 4).toString() === "TZif",
          packageManagers: binaries.filter((path) => fs.existsSync(path)),
        }));`;
      const output = await podman(
        ...RUN,
        "--read-only",
        "--network",
        "none",
        "--entrypoint",
        "/usr/bin/node",
        image,
        "-e",
        probe,
      );
      // One comparison, so that a failure shows every claim the image breaks.
      assert.deepEqual(
        { user: config.User, entrypoint: config.Entrypoint, ...JSON.parse(output) },
        {
          user: "65532:65532",
          entrypoint: ["/flux-operator-mcp"],
          uid: 65532,
          gid: 65532,
          rootWritten: "EROFS",
          shell: false,
          caBundle: true,
          tzdata: true,
          packageManagers: [],
        },
      );
    });
  }

  test("the README states the images' sizes and their parts as the build gives them", async () => {
    // The images this file built come from the same script, Containerfile, base and Node as
    // `npm run build:images`' (only the tag differs, and --no-build takes the dist/ that
    // `npm run build` made, the same scripts/build.ts the release build runs), so their sizes are
    // the release images'. Each figure is whole megabytes and may be one off the build's: a base
    // made on another day from newer Debian packages differs by a fraction of a megabyte; a new
    // Node, base or bundle that grows by more fails it.
    const readme = await readFile("README.md", "utf8");
    const stated =
      /Each image is about (\d+) MB \(the\s+read-only one a little smaller, without the write tools\): Node 22 \((\d+) MB\), the base \((\d+) MB\) and the\s+bundle with its fixtures and knowledge base \((\d+) MB\)/.exec(
        readme,
      );
    assert.ok(stated, "the README states the images' sizes");
    const [each, node, base, bundle] = stated.slice(1).map(Number);
    const ordinaryBytes = builtBytes.get(DEFAULT_IMAGE);
    const readOnlyBytes = builtBytes.get(READONLY_IMAGE);
    assert.ok(ordinaryBytes && readOnlyBytes, `build-images.ts printed ${JSON.stringify([...builtBytes])}`);
    const [ordinaryParts, readOnlyParts] = await Promise.all([
      layerSizes(DEFAULT_IMAGE),
      layerSizes(READONLY_IMAGE),
    ]);
    const off = (stated: number | undefined, bytes: number) =>
      Math.abs((stated ?? NaN) - bytes / 1_000_000) > 1;
    const wrong = Object.entries({
      each: off(each, ordinaryBytes) || off(each, readOnlyBytes),
      node: off(node, ordinaryParts.node),
      base: off(base, ordinaryParts.base),
      bundle: off(bundle, ordinaryParts.bundle) || off(bundle, readOnlyParts.bundle),
    }).filter(([, isOff]) => isOff);
    assert.deepEqual(
      wrong.map(([part]) => part),
      [],
      `README ${stated[0]}; built ${JSON.stringify({ ordinaryBytes, readOnlyBytes, ordinaryParts, readOnlyParts })}`,
    );
    assert.ok(readOnlyBytes < ordinaryBytes, "the read-only image is the smaller, without the write tools");
    assert.deepEqual(
      [readOnlyParts.node, readOnlyParts.base],
      [ordinaryParts.node, ordinaryParts.base],
      "both images share Node and the base",
    );
  });

  test("Node runs with --max-semi-space-size=64, which -e NODE_OPTIONS= drops (README: Container images)", async () => {
    // Node reads NODE_OPTIONS at start and refuses a flag it does not allow there, so a probe that
    // prints means the flag was taken.
    const probe = "console.log(JSON.stringify(process.env.NODE_OPTIONS ?? null))";
    const node = ["--network", "none", "--entrypoint", "/usr/bin/node"];
    const withFlag = await podman(...RUN, ...node, DEFAULT_IMAGE, "-e", probe);
    assert.equal(withFlag.trim(), '"--max-semi-space-size=64"');
    const dropped = await podman(...RUN, "--env", "NODE_OPTIONS=", ...node, DEFAULT_IMAGE, "-e", probe);
    assert.equal(dropped.trim(), '""');
  });

  test("Node's compile cache is kept in the container's own /tmp (README: Container images)", async () => {
    const probe = 'import("node:module").then((m) => console.log(m.getCompileCacheDir() ?? "off"))';
    const node = ["--network", "none", "--read-only", "--tmpfs", "/tmp", "--entrypoint", "/usr/bin/node"];
    const directory = await podman(...RUN, ...node, DEFAULT_IMAGE, "-e", probe);
    assert.match(directory.trim(), /^\/tmp\/node-compile-cache\//);
  });

  test("the read-only image has no write tool: not listed with --read-only=false, not in its bundle", async () => {
    const transport = new StdioClientTransport({
      command: "podman",
      args: [...RUN, "-i", "--read-only", "--network", "none", READONLY_IMAGE, "serve", "--read-only=false"],
      stderr: "pipe",
    });
    const session = client();
    await session.connect(transport);
    try {
      const listed = (await session.listTools()).tools.map((tool) => tool.name);
      assert.ok(listed.includes("get_flux_instance"));
      assert.deepEqual(
        listed.filter((name) => WRITE_TOOL_NAMES.includes(name)),
        [],
      );
    } finally {
      await session.close();
    }

    const hardened = await bundleOf(READONLY_IMAGE, join(scratch, "readonly"));
    const ordinary = await bundleOf(DEFAULT_IMAGE, join(scratch, "default"));
    assert.ok(WRITE_TOOL_NAMES.length >= 10);
    for (const name of WRITE_TOOL_NAMES) {
      assert.ok(ordinary.includes(`"${name}"`), `the default image's bundle defines ${name}`);
      assert.ok(!hardened.includes(`"${name}"`), `the read-only image's bundle names ${name}`);
    }
    // The mark every write tool's definition carries (writes: true), as the bundler writes it.
    assert.match(ordinary, /writes: !0/);
    assert.doesNotMatch(hardened, /writes: !0|writes: true/);
  });
});
