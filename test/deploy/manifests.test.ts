// The in-cluster manifests (deploy/): rendered by real `kubectl kustomize`, every object accepted by a
// server-side dry run on the in-memory API server (the ResourceSet against the real Flux Operator
// CRD), the service account's permissions checked with `kubectl auth can-i`, and the server started
// with the Deployment's own arguments answering on its probe paths.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { parseAllDocuments, parse, stringify } from "yaml";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { clientFor, serverEnvironment } from "../helpers/mcp-clients.ts";
import { CLI_PATH } from "../helpers/run-cli.ts";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/client";

const run = promisify(execFile);
type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } & Record<
  string,
  unknown
>;
type Container = {
  args: string[];
  readinessProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
  resources: { requests: Record<string, string> };
  securityContext: Record<string, unknown>;
};

const SERVICE_ACCOUNT = "system:serviceaccount:flux-system:flux-operator-mcp";

async function render(directory: string): Promise<Manifest[]> {
  const { stdout } = await run("kubectl", ["kustomize", directory]);
  return parseAllDocuments(stdout).map((document) => document.toJS() as Manifest);
}

function only(manifests: Manifest[], kind: string): Manifest {
  const found = manifests.filter((manifest) => manifest.kind === kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0]!;
}

function serverContainer(manifests: Manifest[]): Container {
  const deployment = only(manifests, "Deployment") as unknown as {
    spec: { template: { spec: { containers: Container[] } } };
  };
  return deployment.spec.template.spec.containers[0]!;
}

describe("deploy/ manifests", () => {
  let api: TestApiServer;
  let base: Manifest[];
  let operations: Manifest[];
  const kubectl = (...args: string[]) => api.kubectl(["--context", "deploy", ...args]);
  const kubectlWith = (input: string, ...args: string[]) =>
    api.kubectl(["--context", "deploy", ...args], input);

  before(async () => {
    [base, operations] = await Promise.all([render("deploy/base"), render("deploy/overlays/operations")]);
    api = await startTestApiServer({
      sources: [{ name: "deploy", paths: ["test/data/flux-crds"] }],
      simulation: false,
    });
    const namespace = await kubectlWith(
      stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "flux-system" } }),
      "apply",
      "--server-side",
      "-f",
      "-",
    );
    assert.equal(namespace.code, 0, namespace.stderr);
  });

  after(async () => api?.close());

  for (const [name, manifests] of [
    ["base", () => base],
    ["overlays/operations", () => operations],
  ] as const) {
    test(`${name}: every object passes a server-side dry run`, async () => {
      const objects = manifests();
      assert.ok(objects.length >= 8);
      for (const object of objects) {
        const result = await kubectlWith(
          stringify(object),
          "apply",
          "--server-side",
          "--dry-run=server",
          "--validate=strict",
          "-f",
          "-",
        );
        assert.equal(result.code, 0, `${object.kind} ${object.metadata.name}: ${result.stderr}`);
        assert.match(result.stdout, /\(server dry run\)/);
      }
    });
  }

  test("base: read-only server over HTTP on 9090, probes, restricted pod, requests, Service, policy, scaling", () => {
    const container = serverContainer(base);
    assert.deepEqual(container.args, ["serve", "--transport", "http", "--port", "9090", "--read-only"]);
    assert.deepEqual(container.readinessProbe.httpGet, { path: "/readyz", port: "http" });
    assert.deepEqual(container.livenessProbe.httpGet, { path: "/healthz", port: "http" });
    assert.ok(container.resources.requests.cpu && container.resources.requests.memory);
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.deepEqual(container.securityContext.capabilities, { drop: ["ALL"] });

    const pod = (
      only(base, "Deployment") as unknown as {
        spec: { template: { spec: { securityContext: { runAsUser?: number; runAsNonRoot?: boolean } } } };
      }
    ).spec.template.spec;
    assert.equal(pod.securityContext.runAsUser, 65532);
    assert.equal(pod.securityContext.runAsNonRoot, true);

    const service = only(base, "Service") as unknown as {
      spec: { ports: { port: number }[]; sessionAffinity?: string };
    };
    assert.deepEqual(
      service.spec.ports.map((port) => port.port),
      [9090],
    );
    // The session-based protocol revisions keep a session in the replica that opened it.
    assert.equal(service.spec.sessionAffinity, "ClientIP");
    const policy = only(base, "NetworkPolicy") as unknown as {
      spec: { ingress: { from: { namespaceSelector: { matchExpressions: { values: string[] }[] } }[] }[] };
    };
    assert.deepEqual(policy.spec.ingress[0]?.from[0]?.namespaceSelector.matchExpressions[0]?.values, [
      "flux-system",
    ]);
    const autoscaler = only(base, "HorizontalPodAutoscaler") as unknown as {
      spec: { minReplicas: number; maxReplicas: number };
    };
    assert.deepEqual([autoscaler.spec.minReplicas, autoscaler.spec.maxReplicas], [2, 5]);
    only(base, "PodDisruptionBudget");
    assert.deepEqual(serverContainer(operations).args.at(-1), "--read-only=false");
  });

  test("the service account reads Flux objects and never Secrets; only the overlay lets it change Flux objects", async () => {
    const can = async (...args: string[]) =>
      (await kubectl("auth", "can-i", "--as", SERVICE_ACCOUNT, ...args)).stdout.trim();
    const applyAll = async (objects: Manifest[]) => {
      const result = await kubectlWith(
        objects.map((object) => stringify(object)).join("---\n"),
        "apply",
        "--server-side",
        "-f",
        "-",
      );
      assert.equal(result.code, 0, result.stderr);
    };
    await applyAll(base);
    assert.equal(await can("list", "kustomizations.kustomize.toolkit.fluxcd.io", "-A"), "yes");
    assert.equal(await can("get", "resourcesets.fluxcd.controlplane.io", "-n", "flux-system"), "yes");
    assert.equal(await can("get", "pods/log", "-n", "flux-system"), "yes");
    assert.equal(await can("list", "secrets", "-A"), "no");
    assert.equal(await can("patch", "kustomizations.kustomize.toolkit.fluxcd.io", "-n", "flux-system"), "no");
    await applyAll(operations);
    assert.equal(
      await can("patch", "kustomizations.kustomize.toolkit.fluxcd.io", "-n", "flux-system"),
      "yes",
    );
    assert.equal(await can("list", "secrets", "-A"), "no");
  });

  test("the ResourceSet passes a dry run against the real Flux Operator CRD and names only inputs it has", async () => {
    const text = await readFile("deploy/resourceset.yaml", "utf8");
    const result = await kubectlWith(
      text,
      "apply",
      "--server-side",
      "--dry-run=server",
      "--validate=strict",
      "-f",
      "-",
    );
    assert.equal(result.code, 0, result.stderr);
    const resourceSet = parse(text) as { spec: { inputs: Record<string, unknown>[] } };
    const inputs = Object.keys(resourceSet.spec.inputs[0] ?? {});
    const used = [...text.matchAll(/inputs\.([a-zA-Z]+)/g)].map((match) => match[1]!);
    for (const name of used)
      if (name !== "provider") assert.ok(inputs.includes(name), `input ${name} is defined`);
    assert.match(text, /\.\/deploy\/base/);
    assert.match(text, /\.\/deploy\/overlays\/operations/);
  });

  test("the server started with the Deployment's arguments answers on its probe paths, read-only", async () => {
    // The Deployment's arguments, on a free port instead of 9090 (a shared machine).
    const args = serverContainer(base).args.map((arg) => (arg === "9090" ? "0" : arg));
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      env: serverEnvironment({ KUBECONFIG: api.kubeconfigPath }),
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
          const match = /serving MCP at (http:\/\/[^/\s]+)/.exec(stderr);
          if (match?.[1]) resolve(match[1]);
        });
        child.once("exit", (code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
      });
      for (const path of ["/readyz", "/healthz"]) assert.equal((await fetch(new URL(path, url))).status, 200);
      const client = clientFor("2025-06-18");
      await client.connect(new StreamableHTTPClientTransport(new URL("/mcp", url)));
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      assert.ok(names.includes("get_flux_instance"));
      assert.ok(!names.includes("suspend_flux_reconciliation"));
      await client.close();
    } finally {
      child.kill("SIGTERM");
    }
  });
});
