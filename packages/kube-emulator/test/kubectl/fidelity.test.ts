// Real kubectl against the in-memory API server serving the demo fleet: what users type every day
// must work, and what the server does not support must fail with a clear error, never hang.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { parse as parseYaml } from "yaml";
import { startTestApiServer, type TestApiServer } from "../../src/testing.ts";
import { tableRows } from "../../src/testing.ts";

let api: TestApiServer;
const staging = (args: string[], input?: string) => api.kubectl(["--context", "staging", ...args], input);
const production = (args: string[], input?: string) =>
  api.kubectl(["--context", "production", ...args], input);

async function ok(result: Promise<{ code: number; stdout: string; stderr: string }>): Promise<string> {
  const { code, stdout, stderr } = await result;
  assert.equal(code, 0, `kubectl failed: ${stderr}`);
  return stdout;
}

before(async () => {
  api = await startTestApiServer();
});
after(async () => {
  await api.close();
});

describe("discovery", () => {
  test("api-resources lists built-in and Flux kinds with short names", async () => {
    const out = await ok(staging(["api-resources"]));
    const rows = tableRows(out);
    const find = (name: string) => rows.find((row) => row[0] === name);
    assert.deepEqual(find("kustomizations")?.slice(1), [
      "ks",
      "kustomize.toolkit.fluxcd.io/v1",
      "true",
      "Kustomization",
    ]);
    assert.equal(find("helmreleases")?.[1], "hr");
    assert.equal(find("pods")?.[1], "po");
    assert.ok(find("fluxinstances"), "the operator kinds are served on staging");
    const productionRows = tableRows(await ok(production(["api-resources"])));
    assert.equal(
      productionRows.find((row) => row[0] === "fluxinstances"),
      undefined,
    );
  });

  test("version reports each cluster's own Kubernetes version", async () => {
    const stagingVersion = JSON.parse(await ok(staging(["version", "-o", "json"]))) as {
      serverVersion: { gitVersion: string };
    };
    const productionVersion = JSON.parse(await ok(production(["version", "-o", "json"]))) as {
      serverVersion: { gitVersion: string };
    };
    assert.equal(stagingVersion.serverVersion.gitVersion, "v1.35.2");
    assert.equal(productionVersion.serverVersion.gitVersion, "v1.34.5");
  });
});

describe("get", () => {
  test("kustomizations -A show readiness and the build failure", async () => {
    const rows = tableRows(await ok(staging(["get", "kustomizations", "-A"])));
    assert.deepEqual(rows[0]?.slice(0, 4), ["NAMESPACE", "NAME", "AGE", "READY"]);
    const apps = rows.find((row) => row[1] === "apps");
    assert.equal(apps?.[3], "False");
    assert.match(apps?.[4] ?? "", /kustomize build failed/);
    assert.equal(rows.find((row) => row[1] === "flux-system")?.[3], "True");
  });

  test("hr -A shows the failing release's message", async () => {
    const out = await ok(staging(["get", "hr", "-A"]));
    const row = tableRows(out).find((cells) => cells[1] === "kube-prometheus-stack");
    assert.equal(row?.[0], "monitoring");
    assert.equal(row?.[3], "False");
    assert.match(out, /Helm rollback to previous release monitoring\/kube-prometheus-stack/);
  });

  test("ks short name with -l and --field-selector", async () => {
    const byName = tableRows(
      await ok(staging(["get", "ks", "-n", "flux-system", "--field-selector", "metadata.name=apps"])),
    );
    assert.deepEqual(
      byName.slice(1).map((row) => row[0]),
      ["apps"],
    );
    const none = await staging(["get", "ks", "-A", "-l", "no-such-label=x"]);
    assert.equal(none.code, 0);
    assert.match(none.stderr, /No resources found/);
  });

  test("pods -o wide adds the node column; -l selects by label", async () => {
    const wide = tableRows(await ok(staging(["get", "pods", "-n", "flux-system", "-o", "wide"])));
    assert.ok(wide[0]?.includes("NODE"));
    assert.ok(wide.length > 2);
    const labelled = tableRows(
      await ok(staging(["get", "pods", "-n", "flux-system", "-l", "app=kustomize-controller"])),
    );
    assert.equal(labelled.length, 2);
    assert.match(labelled[1]?.[0] ?? "", /^kustomize-controller-/);
  });

  test("-o yaml and -o json return the stored object with status", async () => {
    const yamlOut = parseYaml(
      await ok(staging(["get", "hr", "kube-prometheus-stack", "-n", "monitoring", "-o", "yaml"])),
    ) as {
      apiVersion: string;
      status: { conditions: { type: string; reason: string }[] };
    };
    assert.equal(yamlOut.apiVersion, "helm.toolkit.fluxcd.io/v2");
    assert.ok(
      yamlOut.status.conditions.some(
        (condition) => condition.type === "Stalled" && condition.reason === "RetriesExceeded",
      ),
    );
    const list = JSON.parse(await ok(staging(["get", "gitrepositories", "-A", "-o", "json"]))) as {
      items: unknown[];
    };
    assert.ok(list.items.length >= 1);
  });

  test("paging with --chunk-size still returns everything", async () => {
    const all = tableRows(await ok(staging(["get", "events", "-A", "--no-headers"])));
    const paged = tableRows(await ok(staging(["get", "events", "-A", "--no-headers", "--chunk-size", "3"])));
    assert.equal(paged.length, all.length);
    assert.ok(all.length > 3);
  });

  test("an unknown kind and a missing object fail with kubectl's usual errors", async () => {
    const unknown = await staging(["get", "frobnicators"]);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /the server doesn't have a resource type "frobnicators"/);
    const missing = await staging(["get", "ks", "nope", "-n", "flux-system"]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /kustomizations.kustomize.toolkit.fluxcd.io "nope" not found/);
  });
});

describe("describe and explain", () => {
  test("describe a HelmRelease shows its status and events", async () => {
    const out = await ok(staging(["describe", "hr", "kube-prometheus-stack", "-n", "monitoring"]));
    assert.match(out, /Name:\s+kube-prometheus-stack/);
    assert.match(out, /RetriesExceeded/);
    assert.match(out, /Events:/);
    assert.match(out, /UpgradeFailed/);
  });

  test("describe a pod", async () => {
    const pod = (
      await ok(staging(["get", "pods", "-n", "flux-system", "-l", "app=helm-controller", "-o", "name"]))
    ).trim();
    const out = await ok(staging(["describe", "-n", "flux-system", pod]));
    assert.match(out, /Containers:/);
    assert.match(out, /Status:\s+Running/);
  });

  test("explain a Flux kind and a built-in kind", async () => {
    const hr = await ok(staging(["explain", "helmrelease.spec"]));
    assert.match(hr, /KIND:\s+HelmRelease/);
    const deployment = await ok(staging(["explain", "deployment"]));
    assert.match(deployment, /KIND:\s+Deployment/);
  });
});

describe("writes", () => {
  const configMap = (value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: fidelity
  namespace: default
data:
  key: ${value}
`;

  test("apply --server-side creates, re-applies and reports conflicts", async () => {
    assert.match(
      await ok(staging(["apply", "--server-side", "-f", "-"], configMap("one"))),
      /configmap\/fidelity serverside-applied/,
    );
    await ok(staging(["apply", "--server-side", "-f", "-"], configMap("two")));
    assert.equal(
      await ok(staging(["get", "cm", "fidelity", "-n", "default", "-o", "jsonpath={.data.key}"])),
      "two",
    );
    const other = await api.kubectl(
      ["--context", "staging", "apply", "--server-side", "--field-manager", "other", "-f", "-"],
      configMap("three"),
    );
    assert.notEqual(other.code, 0);
    assert.match(other.stderr, /conflict/i);
    await ok(
      api.kubectl(
        [
          "--context",
          "staging",
          "apply",
          "--server-side",
          "--force-conflicts",
          "--field-manager",
          "other",
          "-f",
          "-",
        ],
        configMap("three"),
      ),
    );
    assert.equal(
      await ok(staging(["get", "cm", "fidelity", "-n", "default", "-o", "jsonpath={.data.key}"])),
      "three",
    );
  });

  test("apply --server-side --subresource=status writes status only", async () => {
    const status = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infra-configs
  namespace: flux-system
status:
  lastAppliedRevision: fidelity-test
`;
    const statusApply = ["apply", "--server-side", "--subresource=status", "--field-manager", "fidelity"];
    const conflicting = await staging([...statusApply, "-f", "-"], status);
    assert.notEqual(conflicting.code, 0, "the controller's field is owned by someone else");
    assert.match(conflicting.stderr, /conflict.*\.status\.lastAppliedRevision/s);
    await ok(staging([...statusApply, "--force-conflicts", "-f", "-"], status));
    const revision = await ok(
      staging([
        "get",
        "ks",
        "infra-configs",
        "-n",
        "flux-system",
        "-o",
        "jsonpath={.status.lastAppliedRevision}",
      ]),
    );
    assert.equal(revision, "fidelity-test");
  });

  test("patch (merge and json), annotate and label", async () => {
    await ok(
      staging([
        "patch",
        "cm",
        "fidelity",
        "-n",
        "default",
        "--type",
        "merge",
        "-p",
        '{"data":{"merged":"yes"}}',
      ]),
    );
    await ok(
      staging([
        "patch",
        "cm",
        "fidelity",
        "-n",
        "default",
        "--type",
        "json",
        "-p",
        '[{"op":"add","path":"/data/json","value":"yes"}]',
      ]),
    );
    await ok(staging(["annotate", "cm", "fidelity", "-n", "default", "example.com/note=hello"]));
    await ok(staging(["label", "cm", "fidelity", "-n", "default", "team=platform"]));
    const object = JSON.parse(
      await ok(staging(["get", "cm", "fidelity", "-n", "default", "-o", "json"])),
    ) as {
      data: Record<string, string>;
      metadata: { annotations: Record<string, string>; labels: Record<string, string> };
    };
    assert.equal(object.data.merged, "yes");
    assert.equal(object.data.json, "yes");
    assert.equal(object.metadata.annotations["example.com/note"], "hello");
    assert.equal(object.metadata.labels.team, "platform");
    const badJson = await staging([
      "patch",
      "cm",
      "fidelity",
      "-n",
      "default",
      "--type",
      "json",
      "-p",
      '[{"op":"remove","path":"/data/absent"}]',
    ]);
    assert.notEqual(badJson.code, 0);
  });

  test("strategic merge patch on a Deployment merges containers by name", async () => {
    const deployment =
      (await ok(staging(["get", "deploy", "-n", "flux-system", "-o", "name"]))).split("\n")[0] ?? "";
    const container = (
      await ok(
        staging([
          "get",
          "-n",
          "flux-system",
          deployment,
          "-o",
          "jsonpath={.spec.template.spec.containers[0].name}",
        ]),
      )
    ).trim();
    await ok(
      staging([
        "patch",
        "-n",
        "flux-system",
        deployment,
        "-p",
        JSON.stringify({
          spec: {
            template: {
              spec: { containers: [{ name: container, env: [{ name: "FIDELITY", value: "1" }] }] },
            },
          },
        }),
      ]),
    );
    const env = await ok(
      staging([
        "get",
        "-n",
        "flux-system",
        deployment,
        "-o",
        "jsonpath={.spec.template.spec.containers[0].env[*].name}",
      ]),
    );
    assert.match(env, /FIDELITY/);
    const image = await ok(
      staging([
        "get",
        "-n",
        "flux-system",
        deployment,
        "-o",
        "jsonpath={.spec.template.spec.containers[0].image}",
      ]),
    );
    assert.notEqual(image.trim(), "", "the merge kept the container's image");
  });

  test("delete removes the object", async () => {
    assert.match(
      await ok(staging(["delete", "cm", "fidelity", "-n", "default"])),
      /configmap "fidelity" deleted/,
    );
    const gone = await staging(["get", "cm", "fidelity", "-n", "default"]);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /not found/);
  });
});

describe("logs and metrics", () => {
  test("logs with --tail, -c and --previous", async () => {
    const pod = (
      await ok(staging(["get", "pods", "-n", "flux-system", "-l", "app=kustomize-controller", "-o", "name"]))
    ).trim();
    const tail = await ok(staging(["logs", "-n", "flux-system", pod, "--tail", "2"]));
    assert.equal(tail.trimEnd().split("\n").length, 2);
    const container = await ok(staging(["logs", "-n", "flux-system", pod, "-c", "manager", "--tail", "1"]));
    assert.equal(container.trimEnd().split("\n").length, 1);
    const noPrevious = await staging(["logs", "-n", "flux-system", pod, "--previous"]);
    assert.notEqual(noPrevious.code, 0);
    assert.match(noPrevious.stderr, /previous terminated container/);
  });

  test("the crash-looping pod's previous log says why", async () => {
    const pods = tableRows(await ok(staging(["get", "pods", "-A"])));
    const crashing = pods.find((row) => row[3] === "CrashLoopBackOff");
    assert.ok(crashing, "a pod is in CrashLoopBackOff");
    const previous = await ok(
      staging(["logs", "-n", crashing[0] ?? "", crashing[1] ?? "", "--previous", "--all-containers"]),
    );
    assert.match(previous, /fatal|error/i);
  });

  test("top pod and top node read metrics.k8s.io", async () => {
    const pods = tableRows(await ok(staging(["top", "pod", "-n", "flux-system"])));
    assert.deepEqual(pods[0], ["NAME", "CPU(cores)", "MEMORY(bytes)"]);
    assert.ok(pods.length > 2);
    const nodes = tableRows(await ok(staging(["top", "node"])));
    assert.equal(nodes.length, 4, "three staging nodes");
  });
});

describe("access control", () => {
  test("auth can-i as admin and as an impersonated user", async () => {
    assert.equal((await ok(staging(["auth", "can-i", "delete", "hr", "-A"]))).trim(), "yes");
    const stranger = await staging(["auth", "can-i", "get", "pods", "--as", "stranger"]);
    assert.equal(stranger.stdout.trim(), "no");
  });

  test("--as gets a real 403, --as-group with a bound group gets through", async () => {
    const forbidden = await staging(["get", "ks", "-n", "flux-system", "--as", "stranger"]);
    assert.notEqual(forbidden.code, 0);
    assert.match(
      forbidden.stderr,
      /forbidden: User "stranger" cannot list resource "kustomizations" in API group "kustomize.toolkit.fluxcd.io"/,
    );
    const admin = await staging([
      "get",
      "ks",
      "-n",
      "flux-system",
      "--as",
      "someone",
      "--as-group",
      "system:masters",
    ]);
    assert.equal(admin.code, 0, admin.stderr);
  });
});

describe("the Flux simulation", () => {
  test("a reconcile request is handled: lastHandledReconcileAt follows requestedAt", async () => {
    const requestedAt = new Date().toISOString();
    await ok(
      production([
        "annotate",
        "--overwrite",
        "ks",
        "apps",
        "-n",
        "flux-system",
        `reconcile.fluxcd.io/requestedAt=${requestedAt}`,
      ]),
    );
    await api.server.settled();
    const handled = await ok(
      production([
        "get",
        "ks",
        "apps",
        "-n",
        "flux-system",
        "-o",
        "jsonpath={.status.lastHandledReconcileAt}",
      ]),
    );
    assert.equal(handled, requestedAt);
  });

  test("a suspended HelmRelease is not reconciled", async () => {
    const requestedAt = new Date().toISOString();
    await ok(
      production([
        "annotate",
        "--overwrite",
        "hr",
        "ingress-nginx",
        "-n",
        "ingress-nginx",
        `reconcile.fluxcd.io/requestedAt=${requestedAt}`,
      ]),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await api.server.settled();
    const handled = await ok(
      production([
        "get",
        "hr",
        "ingress-nginx",
        "-n",
        "ingress-nginx",
        "-o",
        "jsonpath={.status.lastHandledReconcileAt}",
      ]),
    );
    assert.notEqual(handled, requestedAt);
  });
});
