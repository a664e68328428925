import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { demoClusterSources, fixturesDirectory } from "../../helpers/apiserver.ts";
import { FAST_SIMULATION, startTestApiServer, type TestApiServer } from "../../helpers/apiserver.ts";
import { connectTools } from "../../helpers/tool-session.ts";
import { cancellableCalls, failed, kubectlJson, ok } from "./support.ts";

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
      // The Flux Operator runs: it reconciles the FluxInstance the tool creates.
      simulation: { ...FAST_SIMULATION, reconcileNewObjects: true },
      sources: [
        { name: "fresh", paths: [join(fixturesDirectory(), "crds", "operator.yaml")] },
        ...demoClusterSources(),
      ],
    });
  });
  after(() => api?.close());

  it("creates flux-system and the FluxInstance, then waits for the operator to report it ready", async () => {
    const { run, progress } = await cancellableCalls(api, "fresh");
    const text = ok(await run("install_flux_instance", { instance_yaml: INSTANCE }));
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
    const staging = await connectTools(api, { context: "staging" });
    assert.match(
      failed(await staging.call("install_flux_instance", { instance_yaml: INSTANCE })),
      /^refusing to change FluxInstance flux-system\/flux \(Kustomization flux-system\/flux-system\) in context staging: managed by Flux/,
    );
    const text = ok(
      await staging.call("install_flux_instance", { instance_yaml: INSTANCE, overwrite: true }),
    );
    assert.match(
      text,
      /^FluxInstance\/flux-system\/flux configured\nFluxInstance flux-system\/flux in context staging: reconciled in/,
    );
  });

  it("says plainly when the Flux Operator is not installed", async () => {
    const production = await connectTools(api, { context: "production" });
    const text = failed(await production.call("install_flux_instance", { instance_yaml: INSTANCE }));
    assert.match(
      text,
      /^the Flux Operator is not installed: there is no FluxInstance CustomResourceDefinition/,
    );
    assert.match(text, /helm install flux-operator/);
    assert.match(text, /\(in context production\)$/);
  });

  it("explains that URLs cannot be downloaded, and wants exactly one FluxInstance", async () => {
    const ctx = await connectTools(api, { context: "fresh" });
    assert.match(
      failed(await ctx.call("install_flux_instance", { instance_url: "https://example.com/flux.yaml" })),
      /^cannot download https:\/\/example\.com\/flux\.yaml: this server reaches only the Kubernetes API/,
    );
    assert.match(
      failed(
        await ctx.call("install_flux_instance", {
          instance_yaml: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
        }),
      ),
      /^instance_yaml must hold exactly one FluxInstance/,
    );
  });
});
