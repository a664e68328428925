import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serverInstructions } from "../../src/server/instructions.ts";
import type { Tool } from "../../src/tools/tool.ts";

function tools(names: string[], writes: string[] = []): Tool[] {
  return [...names, ...writes].map((name) => ({ name, writes: writes.includes(name) }) as Tool);
}

const MASKING = { maskSecrets: true };

describe("serverInstructions", () => {
  it("says the server is read-only and has no Actions part when no tool writes", () => {
    const text = serverInstructions(tools(["get_flux_instance", "get_kubernetes_resources"]), MASKING);
    assert.match(text, /It is read-only/);
    assert.doesNotMatch(text, /Actions/);
    assert.match(text, /^- Start with get_flux_instance/m);
    assert.match(text, /^- get_kubernetes_resources reads/m);
  });

  it("names only the tools that are registered", () => {
    const text = serverInstructions(tools(["get_kubernetes_resources", "get_kubeconfig_contexts"]), MASKING);
    assert.doesNotMatch(text, /get_flux_instance|set_kubeconfig_context|search_flux_docs/);
  });

  it("adds the Actions part for the write tools on offer", () => {
    const text = serverInstructions(
      tools(
        ["get_flux_instance"],
        ["reconcile_flux_resource", "suspend_flux_reconciliation", "resume_flux_reconciliation"],
      ),
      MASKING,
    );
    assert.doesNotMatch(text, /read-only/);
    const actions = text.slice(text.indexOf("Actions"));
    assert.match(actions, /reconcile_flux_resource/);
    assert.match(actions, /suspend_flux_reconciliation and resume_flux_reconciliation/);
    assert.doesNotMatch(actions, /apply_kubernetes_manifest|delete_kubernetes_resource/);
  });

  it("says Secret values are masked only when they are", () => {
    const offered = tools(["get_kubernetes_resources"]);
    assert.match(serverInstructions(offered, MASKING), /Secret values are masked in every answer/);
    assert.doesNotMatch(serverInstructions(offered, { maskSecrets: false }), /masked/);
  });
});
