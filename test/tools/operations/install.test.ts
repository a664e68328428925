import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { demoClusterSources, fixturesDirectory } from "../../helpers/apiserver.ts";
import { installFluxInstance } from "../../../src/tools/operations/install-flux-instance.ts";
import { startTestApiServer, type TestApiServer } from "../../helpers/apiserver.ts";
import { callTool, testToolContext } from "../../helpers/tools.ts";
import { cancellableContext, failed, kubectlJson, ok } from "./support.ts";

const INSTANCE = `apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata:
  name: flux
spec:
  distribution:
    version: "2.x"
    registry: ghcr.io/fluxcd
  components: [source-controller, kustomize-controller, helm-controller, notification-controller]
  cluster:
    type: kubernetes
`;

describe("install_flux_instance", () => {
  let api: TestApiServer;

  before(async () => {
    // "fresh": the Flux Operator's CRDs exist, Flux itself is not installed yet.
    api = await startTestApiServer({
      sources: [
        { name: "fresh", paths: [join(fixturesDirectory(), "crds", "operator.yaml")] },
        ...demoClusterSources(),
      ],
    });
  });
  after(() => api?.close());

  it("creates flux-system and the FluxInstance, then waits for the operator to report it ready", async () => {
    const { ctx, progress } = cancellableContext(api, "fresh");
    const text = ok(await callTool(installFluxInstance, { instance_yaml: INSTANCE }, ctx));
    const lines = text.split("\n");
    assert.deepEqual(lines.slice(0, 2), [
      "Namespace/flux-system created",
      "FluxInstance/flux-system/flux created",
    ]);
    assert.match(lines[2] ?? "", /^FluxInstance flux-system\/flux in context fresh: reconciled in \d/);
    assert.match(lines[3] ?? "", /^ready: True/);
    assert.match(
      progress[0] ?? "",
      /^1 FluxInstance flux-system\/flux: applied, waiting for the Flux Operator$/,
    );
    const instance = await kubectlJson(api, "fresh", ["get", "fluxinstance", "flux", "-n", "flux-system"]);
    assert.equal(instance.spec.distribution.version, "2.x");
  });

  it("refuses an instance Flux manages unless overwrite is set", async () => {
    const staging = testToolContext(api, { context: "staging" });
    assert.match(
      failed(await callTool(installFluxInstance, { instance_yaml: INSTANCE }, staging)),
      /^refusing to change FluxInstance flux-system\/flux \(Kustomization flux-system\/flux-system\) in context staging: managed by Flux/,
    );
    const text = ok(
      await callTool(installFluxInstance, { instance_yaml: INSTANCE, overwrite: true }, staging),
    );
    assert.match(
      text,
      /^FluxInstance\/flux-system\/flux configured\nFluxInstance flux-system\/flux in context staging: reconciled in/,
    );
  });

  it("says plainly when the Flux Operator is not installed", async () => {
    const production = testToolContext(api, { context: "production" });
    const text = failed(await callTool(installFluxInstance, { instance_yaml: INSTANCE }, production));
    assert.match(
      text,
      /^the Flux Operator is not installed: there is no FluxInstance CustomResourceDefinition/,
    );
    assert.match(text, /helm install flux-operator/);
    assert.match(text, /\(in context production\)$/);
  });

  it("explains that URLs cannot be downloaded, and wants exactly one FluxInstance", async () => {
    const ctx = testToolContext(api, { context: "fresh" });
    assert.match(
      failed(await callTool(installFluxInstance, { instance_url: "https://example.com/flux.yaml" }, ctx)),
      /^cannot download https:\/\/example\.com\/flux\.yaml: this server reaches only the Kubernetes API/,
    );
    assert.match(
      failed(
        await callTool(
          installFluxInstance,
          { instance_yaml: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n" },
          ctx,
        ),
      ),
      /^instance_yaml must hold exactly one FluxInstance/,
    );
  });
});
