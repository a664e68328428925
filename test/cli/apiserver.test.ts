// `flux-mcp apiserver` as a user runs it: the built binary in the foreground, a kubeconfig that
// real kubectl uses, a clean stop on SIGTERM, and one-line errors for bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI_PATH, runCli } from "../helpers/run-cli.ts";
import { createKubectl, tableRows } from "../helpers/apiserver.ts";

async function withDirectory(work: (directory: string) => Promise<void>): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), "flux-mcp-cli-"));
  try {
    await work(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Starts the command and resolves once it has printed where the kubeconfig is. */
async function startApiServer(args: string[]) {
  const child = spawn(process.execPath, [CLI_PATH, "apiserver", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = once(child, "exit");
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (/^kubeconfig: /m.test(stdout)) {
        clearInterval(check);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(check);
        reject(new Error(`apiserver exited early: ${stderr}`));
      }
    }, 20);
  });
  return {
    output: () => stdout,
    stop: async () => {
      child.kill("SIGTERM");
      const [code] = (await exited) as [number | null];
      return { code, stdout, stderr };
    },
  };
}

test("--demo serves staging and production to kubectl, then stops cleanly on SIGTERM", async () => {
  await withDirectory(async (directory) => {
    const kubeconfig = join(directory, "k.yaml");
    const server = await startApiServer(["--demo", "--kubeconfig", kubeconfig]);
    assert.match(server.output(), /listening on https:\/\/127\.0\.0\.1:\d+/);
    assert.match(server.output(), /contexts: staging, production/);
    const kubectl = createKubectl(kubeconfig, directory);
    const result = await kubectl(["--context", "staging", "get", "kustomizations", "-A"]);
    assert.equal(result.code, 0, result.stderr);
    const rows = tableRows(result.stdout);
    assert.deepEqual(rows[0], ["NAMESPACE", "NAME", "AGE", "READY", "STATUS"]);
    assert.ok(rows.some((row) => row[1] === "apps" && row[3] === "False"));
    const hr = await kubectl(["--context", "staging", "get", "hr", "-A"]);
    assert.match(hr.stdout, /kube-prometheus-stack/);
    const stopped = await server.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, /stopped/);
    assert.ok(existsSync(kubeconfig), "a kubeconfig the user asked for is left in place");
  });
});

test("--load serves a dump into a named cluster; the temporary kubeconfig goes away on stop", async () => {
  await withDirectory(async (directory) => {
    const dump = join(directory, "dump.yaml");
    await writeFile(
      dump,
      `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: settings, namespace: team-a}
  data: {mode: fast}
`,
    );
    const server = await startApiServer(["--load", `lab=${dump}`]);
    const kubeconfig = /^kubeconfig: (\S+)/m.exec(server.output())?.[1] ?? "";
    const kubectl = createKubectl(kubeconfig, directory);
    const result = await kubectl([
      "--context",
      "lab",
      "get",
      "cm",
      "settings",
      "-n",
      "team-a",
      "-o",
      "jsonpath={.data.mode}",
    ]);
    assert.equal(result.stdout, "fast", result.stderr);
    await server.stop();
    assert.equal(existsSync(kubeconfig), false);
  });
});

test("bad input gets one line on stderr and a non-zero exit, never a stack trace", async () => {
  await withDirectory(async (directory) => {
    const malformed = join(directory, "bad.yaml");
    await writeFile(malformed, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n");
    const unknownKind = join(directory, "unknown.yaml");
    await writeFile(unknownKind, "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n");
    const cases: [string[], number, RegExp][] = [
      [["--bogus"], 2, /apiserver: Unknown option '--bogus'/],
      [[], 2, /nothing to serve/],
      [["--demo", "--port", "x"], 2, /invalid --port "x"/],
      [["--load", join(directory, "absent.yaml")], 1, /absent\.yaml: no such file or directory/],
      [["--load", malformed], 1, /bad\.yaml:\d+: /],
      [["--load", unknownKind], 1, /unknown kind "Widget" in "example.com\/v1"/],
    ];
    for (const [args, code, message] of cases) {
      const result = await runCli(["apiserver", ...args]);
      assert.equal(result.code, code, `${args.join(" ")}: ${result.stderr}`);
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    }
  });
});

test("apiserver --help explains the flags and the side formats", async () => {
  const result = await runCli(["apiserver", "--help"]);
  assert.equal(result.code, 0);
  for (const flag of ["--demo", "--load", "--kubeconfig", "--port"])
    assert.match(result.stdout, new RegExp(flag));
  assert.match(result.stdout, /PodLogs/);
});

test("--load of a snapshot file serves it read-only, as a context named after its cluster", async () => {
  await withDirectory(async (directory) => {
    const file = join(directory, "snapshot.yaml");
    await writeFile(
      file,
      [
        "---\napiVersion: apiserver.flux-mcp.dev/v1alpha1\nkind: ClusterInfo\nmetadata:\n  name: edge-eu\nkubernetesVersion: v1.34.1\nreadOnly: true\n",
        "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n",
      ].join(""),
    );
    const kubeconfig = join(directory, "k.yaml");
    const server = await startApiServer(["--load", file, "--kubeconfig", kubeconfig]);
    const output = server.output();
    try {
      const kubectl = createKubectl(kubeconfig, directory);
      const read = await kubectl(["--context", "edge-eu", "get", "namespace", "shop", "-o", "name"]);
      assert.equal(read.stdout.trim(), "namespace/shop", read.stderr);
      // A record is not changed by anyone, not even the admin the kubeconfig names; a dry run still answers.
      const written = await kubectl(["--context", "edge-eu", "create", "namespace", "other"]);
      assert.notEqual(written.code, 0);
      assert.match(written.stderr, /read-only record/);
      const deleted = await kubectl(["--context", "edge-eu", "delete", "namespace", "shop"]);
      assert.notEqual(deleted.code, 0);
      assert.match(deleted.stderr, /read-only record/);
      const dryRun = await kubectl([
        "--context",
        "edge-eu",
        "label",
        "namespace",
        "shop",
        "a=b",
        "--dry-run=server",
      ]);
      assert.equal(dryRun.code, 0, dryRun.stderr);
      assert.equal(
        (await kubectl(["--context", "edge-eu", "get", "namespace", "shop", "-o", "name"])).code,
        0,
      );
    } finally {
      const { code } = await server.stop();
      assert.equal(code, 0);
    }
    assert.match(output, /\(contexts: edge-eu\)/);
  });
});
