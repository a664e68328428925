// get_flux_instance on more Flux objects than one API page, more failing than it names: every object
// is counted, and the lists name the first ones in their order (stalled first, then by name).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { startFluxClusterOf, type TestApiServer } from "../helpers/apiserver.ts";
import { callOnce } from "../helpers/tool-session.ts";

const KUSTOMIZATIONS = 700;
const STALLED = new Set([640, 20, 333]);
const FAILING = new Set([
  5, 690, 17, 250, 251, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416,
  417, 600, 1,
]);
const SUSPENDED = new Set([2, 3, 699]);

function name(index: number): string {
  return `app-${String(index).padStart(3, "0")}`;
}

function kustomization(index: number): object {
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastTransitionTime: "2026-01-01T00:00:00Z",
    observedGeneration: 1,
  });
  const failing = FAILING.has(index) || STALLED.has(index);
  const conditions = failing
    ? [condition("Ready", "False", "BuildFailed", `kustomize build failed for ${name(index)}`)]
    : [condition("Ready", "True", "ReconciliationSucceeded", "Applied revision: main@sha1:0123456789")];
  if (STALLED.has(index)) conditions.push(condition("Stalled", "True", "InvalidPath", "path not found"));
  return {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    // Not in name order: the answer's order is its own.
    metadata: { name: name(index), namespace: `team-${index % 7}`, generation: 1 },
    spec: {
      interval: "10m",
      path: "./apps",
      prune: true,
      sourceRef: { kind: "GitRepository", name: "tenant" },
      ...(SUSPENDED.has(index) && { suspend: true }),
    },
    status: { observedGeneration: 1, conditions },
  };
}

describe("get_flux_instance on many Flux objects", () => {
  let api: TestApiServer;

  before(async () => {
    const order = Array.from({ length: KUSTOMIZATIONS }, (_, index) => (index * 337) % KUSTOMIZATIONS);
    const namespaces = Array.from({ length: 7 }, (_, index) => ({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: `team-${index}` },
    }));
    api = await startFluxClusterOf("many", [...namespaces, ...order.map(kustomization)]);
  });
  after(async () => {
    await api?.close();
  });

  it("counts every object and names the first failing ones, stalled first, then by name", async () => {
    const result = await callOnce(api, { context: "many" }, "get_flux_instance");
    assert.notEqual(result.isError, true, result.text);
    const answer = parse(result.text) as {
      objects: Record<string, string>;
      failing?: string[];
      suspended?: string[];
    };
    const failing = FAILING.size + STALLED.size;
    const ready = KUSTOMIZATIONS - failing - SUSPENDED.size;
    assert.equal(
      answer.objects.Kustomization,
      `${KUSTOMIZATIONS}: ${ready} ready, ${FAILING.size} failing, ${STALLED.size} stalled, ${SUSPENDED.size} suspended`,
    );
    const named = (answer.failing ?? []).map((line) => /^Kustomization (team-\d\/app-\d+):/.exec(line)?.[1]);
    const byName = (indexes: Set<number>) =>
      [...indexes].map((index) => `team-${index % 7}/${name(index)}`).sort((a, b) => a.localeCompare(b));
    const expected = [...byName(STALLED), ...byName(FAILING)].slice(0, 20);
    assert.deepEqual(named.slice(0, 20), expected);
    assert.equal(answer.failing?.[20], `… ${failing - 20} more: get_kubernetes_resources lists them`);
    assert.equal(answer.suspended?.length, SUSPENDED.size);
  });
});
