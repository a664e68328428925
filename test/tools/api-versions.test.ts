import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { encode } from "gpt-tokenizer";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectTools, callOnce } from "../helpers/tool-session.ts";

describe("get_kubernetes_api_versions", () => {
  let api: TestApiServer;
  const versions = async (context: string) => {
    const result = await callOnce(api, { context }, "get_kubernetes_api_versions", {});
    assert.notEqual(result.isError, true, result.text);
    return result.text.trimEnd().split("\n");
  };

  before(async () => {
    api = await startTestApiServer({ simulation: false });
  });
  after(() => api?.close());

  it("lists Flux kinds first, by preferred apiVersion, then built-in and other kinds", async () => {
    const lines = await versions("staging");
    assert.equal(lines[0], "# preferred apiVersions in context staging");
    assert.equal(lines[1], "# Flux");
    const kubernetes = lines.indexOf("# Kubernetes and other APIs");
    const flux = lines.slice(2, kubernetes);
    assert.ok(flux.includes("helm.toolkit.fluxcd.io/v2: HelmRelease"), flux.join("\n"));
    assert.ok(flux.includes("kustomize.toolkit.fluxcd.io/v1: Kustomization"));
    assert.ok(
      flux.includes(
        "fluxcd.controlplane.io/v1: FluxInstance, FluxReport, ResourceSet, ResourceSetInputProvider",
      ),
    );
    assert.ok(flux.every((line) => /^([a-z.]+\.)?fluxcd\.[a-z.]+\/v\w+: /.test(line)));

    const others = lines.slice(kubernetes + 1);
    assert.match(others[0] ?? "", /^v1: .*\bConfigMap\b.*\bPod\b.*\bSecret\b/, "the core group first");
    assert.ok(
      others.some((line) => /^apps\/v1: .*\bDaemonSet, Deployment, ReplicaSet, StatefulSet\b/.test(line)),
      others.join("\n"),
    );
    assert.ok(others.some((line) => line.startsWith("apiextensions.k8s.io/v1: CustomResourceDefinition")));
    assert.ok(
      !others.some((line) => /TokenReview|SubjectAccessReview/.test(line)),
      "kinds that cannot be read are left out",
    );
  });

  it("stays within its token budget", async () => {
    const used = encode((await versions("staging")).join("\n")).length;
    assert.ok(used <= 340, `${used} tokens, over the budget of 340`);
  });

  it("shows each cluster's own APIs", async () => {
    const production = await versions("production");
    assert.equal(production[0], "# preferred apiVersions in context production");
    assert.ok(
      !production.some((line) => line.startsWith("fluxcd.controlplane.io/")),
      "no Flux Operator there",
    );
    assert.ok(production.includes("helm.toolkit.fluxcd.io/v2: HelmRelease"));
  });
});

describe("get_kubernetes_api_versions without Flux", () => {
  let directory: string;
  let api: TestApiServer;

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), "flux-mcp-api-versions-"));
    const file = join(directory, "plain.yaml");
    await writeFile(file, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: plain\n");
    api = await startTestApiServer({ sources: [{ name: "plain", paths: [file] }], simulation: false });
  });
  after(async () => {
    await api?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it("says that no Flux API is installed", async () => {
    const result = await callOnce(api, {}, "get_kubernetes_api_versions", {});
    assert.match(result.text, /^# Flux: no Flux APIs installed$/m);
    assert.match(result.text, /^apps\/v1: /m);
  });

  it("reports an identity that may not even read discovery as an error", async () => {
    const anonymous = await connectTools(api, { impersonate: { user: "system:anonymous" } });
    const result = await anonymous.call("get_kubernetes_api_versions", {});
    assert.equal(result.isError, true, result.text);
  });
});
